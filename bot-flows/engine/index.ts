export type {
  BotButton,
  BotContact,
  BotContext,
  BotConversation,
  BotMatchNote,
  BotMessage,
  BotMiddleware,
  BotReply,
  BotReplyContext,
} from './bot-context';
export { composeMiddleware, NextCalledTwiceError } from './compose-middleware';
export {
  type BotFlow,
  type BusinessHoursPolicy,
  defaultHandoff,
  defineFlow,
  type FlowDefinition,
  FlowDefinitionError,
  type FlowEntryInfo,
  flowNamePattern,
  type HandoffPolicy,
  isBotFlow,
} from './define-flow';
export { numberedHint, type RenderedReply, renderReply } from './render-reply';
export {
  type BotSession,
  type BotTurnInput,
  type BotTurnResult,
  emptySession,
  type HandoffReason,
  handoffPayload,
  maxStateBytes,
  runTurn,
  type TurnOutcome,
} from './run-turn';
