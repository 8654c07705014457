/**
 * Building blocks for flows: middleware factories composed inside `defineFlow({ middleware })`,
 * and what the declarative (YAML/JSON) form compiles to.
 */
export { FlowBlockError } from './block-error';
export {
  type BusinessHoursOptions,
  businessHours,
  defaultClosedMessage,
  describeHours,
  isKnownTimeZone,
  type OpeningRange,
  parseDayHours,
  type WeekDay,
  weekDays,
} from './business-hours';
export {
  type ButtonSpec,
  gotoPayload,
  gotoTarget,
  isReservedPayload,
  reservedPayloadPrefixes,
  toBotButton,
  toBotButtons,
} from './buttons';
export {
  type CollectBlock,
  type CollectDone,
  type CollectOptions,
  collect,
  defaultMaxTries,
} from './collect';
export { type CollectType, collectTypes, MAX_COLLECTED_CHARS } from './collect-types';
export { type FaqAnswer, type FaqBlock, type FaqEntry, type FaqOptions, faq, faqEntries } from './faq';
export { fillTemplate, placeholdersOf } from './fill-template';
export { type GreetingOptions, greeting } from './greeting';
export { type MenuBlock, type MenuOption, type MenuOptions, menu, menuOptionPayload } from './menu';
export { onPayload, type ReactionOptions, reaction } from './reactions';
