/**
 * The YAML/JSON flow file (bot-flows/README.md, "Flow files"). Every object is strict: an unknown
 * key is an error, so a typo ("anwser") never silently drops an answer. Checks that need the whole
 * file (goto targets, unique ids) are in `cross-references.ts`.
 */
import { z } from 'zod';
import {
  type ButtonSpec,
  collectTypes,
  isKnownTimeZone,
  isReservedPayload,
  type MenuOption,
  parseDayHours,
  placeholdersOf,
  weekDays,
} from '../blocks';
import { flowNamePattern } from '../engine/define-flow';
import { checkCrossReferences } from './cross-references';

const blockIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Longest reply text: what the strictest messenger (Telegram) carries in one message. */
export const MAX_TEXT_CHARS = 4096;
export const MAX_LABEL_CHARS = 64;

const text = (max = MAX_TEXT_CHARS) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A text whose `{{…}}` placeholders are all among `allowed`. */
const templateText = (allowed: readonly string[]) =>
  text().superRefine((value, ctx) => {
    for (const name of placeholdersOf(value).filter((found) => !allowed.includes(found)))
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder {{${name}}}${allowed.length ? ` (known: ${allowed.map((known) => `{{${known}}}`).join(', ')})` : ''}`,
      });
  });

const count = (min: number, max: number) =>
  z.int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const blockId = z
  .string()
  .regex(blockIdPattern, 'an id is 1–64 letters, digits, "-" or "_", starting with a letter or digit');
const label = text(MAX_LABEL_CHARS);
const phrases = (max = 100) => z.array(text(max)).min(1, 'must list at least one');

const customPayload = text(256).refine((payload) => !isReservedPayload(payload), {
  message: 'payloads starting with goto:, menu: or bot: are reserved (use goto / handoff instead)',
});

/** Adds an issue unless exactly one of `keys` is set on the object. */
function exactlyOne<T extends object>(what: string, keys: readonly (keyof T & string)[]) {
  return (value: T, ctx: z.RefinementCtx) => {
    const set = keys.filter((key) => value[key] !== undefined);
    if (set.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message: `${what} needs exactly one of ${keys.join(', ')} (it has ${set.length ? set.join(' and ') : 'none'})`,
    });
  };
}

const buttonTargets = ['goto', 'handoff', 'url', 'payload'] as const;
const buttonFields = {
  label,
  goto: blockId.optional(),
  handoff: z.literal(true, 'handoff on a button can only be true').optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  payload: customPayload.optional(),
};

type ButtonFields = { label: string; goto?: string; handoff?: true; url?: string; payload?: string };

/** The one target a validated button has, as the blocks take it. */
function toButtonSpec({ label, goto, handoff, url, payload }: ButtonFields): ButtonSpec {
  if (goto !== undefined) return { label, goto };
  if (handoff) return { label, handoff };
  if (url !== undefined) return { label, url };
  return { label, payload: payload as string };
}

export const buttonSchema = z
  .strictObject(buttonFields)
  .superRefine(exactlyOne('a button', buttonTargets))
  .transform(toButtonSpec);
const buttons = z.array(buttonSchema).min(1, 'must list at least one button').max(10, 'at most 10 buttons');

const menuOptionSchema = z
  .strictObject({ ...buttonFields, answer: text().optional(), buttons: buttons.optional() })
  .superRefine(exactlyOne('a menu option', [...buttonTargets, 'answer']))
  .refine((option) => option.buttons === undefined || option.answer !== undefined, {
    message: 'buttons go with an answer',
    path: ['buttons'],
  })
  .transform(
    ({ answer, buttons: answerButtons, ...button }): MenuOption =>
      answer === undefined ? toButtonSpec(button) : { label: button.label, answer, buttons: answerButtons },
  );

const faqEntrySchema = z
  .strictObject({
    id: blockId,
    questions: phrases(500),
    keywords: phrases().optional(),
    answer: text().optional(),
    goto: blockId.optional(),
    buttons: buttons.optional(),
  })
  .superRefine(exactlyOne('a FAQ entry', ['answer', 'goto']))
  .refine((entry) => entry.buttons === undefined || entry.answer !== undefined, {
    message: 'buttons go with an answer',
    path: ['buttons'],
  });

const menuSchema = z.strictObject({
  text: text(),
  options: z.array(menuOptionSchema).min(1, 'a menu needs at least one option').max(10, 'at most 10 options'),
  keywords: phrases().optional(),
});

const collectSchema = z
  .strictObject({
    ask: text(),
    type: z.enum(Object.keys(collectTypes) as [keyof typeof collectTypes]).optional(),
    pattern: z.string().min(1, 'must not be empty').superRefine(compiles).optional(),
    error: text(),
    maxTries: count(1, 10).optional(),
    // biome-ignore lint/suspicious/noThenProperty: a key of the flow file; this schema is never awaited
    then: z.strictObject({
      reply: templateText(['value']),
      buttons: buttons.optional(),
      handoff: z.boolean().optional(),
    }),
  })
  .refine((spec) => spec.type === undefined || spec.pattern === undefined, {
    message: 'give either type or pattern, not both',
  });

function compiles(pattern: string, ctx: z.RefinementCtx): void {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `the pattern does not compile: ${(error as Error).message}` });
  }
}

const reactionSchema = z
  .strictObject({
    payload: z
      .union([customPayload, z.array(customPayload).min(1)], 'must be a payload or a list of payloads')
      .optional(),
    texts: phrases().optional(),
    keywords: phrases().optional(),
    replyTo: text(128).optional(),
    reply: text().optional(),
    buttons: buttons.optional(),
    goto: blockId.optional(),
    handoff: z.boolean().optional(),
  })
  .refine((spec) => [spec.payload, spec.texts, spec.keywords].some((set) => set !== undefined), {
    message: 'a reaction needs payload, texts or keywords',
  })
  .refine((spec) => spec.reply !== undefined || spec.goto !== undefined || spec.handoff === true, {
    message: 'a reaction needs reply, goto or handoff: true',
  })
  .refine((spec) => spec.buttons === undefined || spec.reply !== undefined, {
    message: 'buttons go with a reply',
    path: ['buttons'],
  });

const dayHours = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseDayHours(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .nullable()
  .optional();

const isoDate = z.iso.date('must be a date like 2026-12-31');

const businessHoursSchema = z.strictObject({
  timezone: z
    .string()
    .refine(isKnownTimeZone, { message: 'is not a known IANA time zone (e.g. Europe/Moscow)' }),
  days: z
    .strictObject(
      Object.fromEntries(weekDays.map((day) => [day, dayHours])) as Record<
        (typeof weekDays)[number],
        typeof dayHours
      >,
    )
    .refine((days) => Object.values(days).some(Boolean), { message: 'at least one day must have hours' }),
  holidays: z.array(isoDate).optional(),
  closedMessage: templateText(['hours', 'timezone']).optional(),
});

const handoffSchema = z.strictObject({
  afterMisses: count(1, 20).optional(),
  keywords: phrases().optional(),
  /** The hand-off button's label under "not understood" replies; false: no button. */
  button: z.union([label, z.literal(false)], 'must be a label or false (no button)').optional(),
  message: text().optional(),
});

const language = z.enum(['ru', 'en'], 'must be ru or en');

const flowFileObject = z.strictObject({
  flow: z.string().regex(flowNamePattern, 'a flow name is 1–64 letters, digits, "-" or "_"'),
  description: text(500).optional(),
  language: z.union([language, z.array(language).min(1)], 'must be ru, en or a list of them').optional(),
  channels: phrases(64).optional(),
  notifications: phrases(128).optional(),
  matching: z
    .strictObject({
      threshold: z.number().min(0).max(1).optional(),
      synonyms: z.array(z.array(text(100)).min(2, 'a synonym group needs at least two words')).optional(),
      typos: z.boolean().optional(),
    })
    .optional(),
  greeting: z.strictObject({ text: text(), buttons: buttons.optional() }).optional(),
  faq: z.array(faqEntrySchema).min(1, 'must list at least one entry').optional(),
  menus: z.record(blockId, menuSchema).optional(),
  collect: z.record(blockId, collectSchema).optional(),
  on: z.array(reactionSchema).min(1, 'must list at least one reaction').optional(),
  businessHours: businessHoursSchema.optional(),
  handoff: handoffSchema.optional(),
  fallback: text().optional(),
});

/** The whole flow file: its fields, then the checks across it (ids, goto targets). */
export const flowFileSchema = flowFileObject.superRefine(checkCrossReferences);

/** A flow file after validation (texts trimmed). */
export type FlowFile = z.output<typeof flowFileSchema>;
export type FlowFileButton = z.output<typeof buttonSchema>;
