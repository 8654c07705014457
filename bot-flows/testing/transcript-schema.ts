import { z } from 'zod';
import { channelKinds } from '../../adapters/contract';

const isoInstantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const channel = z.enum(channelKinds, { error: `must be a channel type: ${channelKinds.join(', ')}` });

/** An ISO 8601 date-time with an offset (`2026-11-23T12:00:00+03:00`): a clock that does not depend on the machine. */
export const instantSchema = z
  .string({ error: 'must be a date-time such as "2026-11-23T12:00:00+03:00"' })
  .refine(
    (value) => isoInstantPattern.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date-time with an offset, such as "2026-11-23T12:00:00+03:00"',
  );

/** YAML reads `user: 2` as a number and `user: true` as a boolean: both mean the typed text. */
const typed = z
  .union([z.string().min(1), z.number(), z.boolean()], { error: 'must be the text the customer types' })
  .transform(String);

const regex = z.string().refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const textExpectation = z.union(
  [z.string(), z.object({ contains: z.string().min(1) }).strict(), z.object({ matches: regex }).strict()],
  { error: 'must be the exact reply text, { contains: "…" } or { matches: "regex" }' },
);

const button = z.object({ label: z.string().min(1), payload: z.string().min(1) }).strict();

const press = z.union(
  [
    z.string().min(1),
    z.number().int().positive(),
    z.object({ payload: z.string().min(1), label: z.string().min(1).optional() }).strict(),
  ],
  { error: 'must be a button label, its payload, its number, or { payload, label? }' },
);

const step = z
  .object({
    user: typed.optional(),
    press: press.optional(),
    bot: z
      .union([textExpectation, z.array(textExpectation)], {
        error: 'must be the exact reply text, { contains: "…" }, { matches: "regex" } or a list of them',
      })
      .optional(),
    buttons: z.array(typed).optional(),
    handoff: z.union([z.boolean(), z.string().min(1)]).optional(),
    matched: z.string().min(1).nullable().optional(),
  })
  .strict()
  .refine((value) => (value.user === undefined) !== (value.press === undefined), {
    error: 'a step has exactly one of `user` (the customer types) or `press` (the customer presses a button)',
  });

const replyTo = z
  .object({
    kind: z.enum(['notification', 'mailing', 'message']).default('notification'),
    name: z.string().min(1).nullable().default(null),
    text: z.string().default(''),
    buttons: z.array(button).optional(),
  })
  .strict();

const conversation = z
  .object({
    name: z.string().min(1),
    channel: channel.optional(),
    now: instantSchema.optional(),
    replyTo: replyTo.optional(),
    steps: z.array(step).min(1, 'must list at least one step'),
  })
  .strict();

/**
 * A transcript file: expected conversations with one flow (the format is documented in
 * bot-flows/README.md, "Testing flows").
 */
export const transcriptSchema = z
  .object({
    flow: z.string().min(1),
    channel: channel.default('telegram'),
    now: instantSchema.optional(),
    conversations: z.array(conversation).min(1, 'must list at least one conversation'),
  })
  .strict();

export type TranscriptSource = z.output<typeof transcriptSchema>;
export type ConversationSource = TranscriptSource['conversations'][number];
export type StepSource = ConversationSource['steps'][number];
export type TextExpectation = z.output<typeof textExpectation>;
export type PressSource = z.output<typeof press>;

/** The clock of a script that does not set `now`: Monday 2 March 2026, noon in Moscow. */
export const defaultTranscriptNow = '2026-03-02T12:00:00+03:00';
