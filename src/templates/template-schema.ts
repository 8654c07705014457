import { z } from 'zod';
import { channelKinds } from '../../adapters/contract';
import { findStrayHashes } from './placeholders';
import { labelProblem, payloadProblem, type TemplateButton, urlProblem } from './template-buttons';
import { codePointLength, templateLimits } from './template-limits';

/**
 * The body of `POST /v1/templates`. Lengths are in code points; unknown fields are refused. Images
 * are referenced by the ids of uploaded files; their bytes are checked with `checkTemplateImage`
 * when uploaded (`POST /v1/template-images`), not here.
 */

export const templateCategories = [
  'otp',
  'transactional',
  'order',
  'delivery',
  'payment',
  'account',
  'marketing',
] as const;

const nameMax = templateLimits.nameMaxLength;

/** Lower-case Latin letters, digits and `_`: the names the notification gateway accepts. */
export const templateNameSchema = z
  .string()
  .regex(new RegExp(`^[a-z0-9_]{1,${nameMax}}$`), `name must be 1-${nameMax} characters of a-z, 0-9 and _`);

/** A message of a failed check, or `null`; turned into one zod issue. */
const refineWith =
  (problem: (value: string) => string | null) =>
  (value: string, context: z.core.$RefinementCtx<string>): void => {
    const message = problem(value);
    if (message) context.addIssue({ code: 'custom', message, input: value });
  };

function textProblem(text: string): string | null {
  if (text.trim().length === 0) return 'must not be empty or only whitespace';
  const length = codePointLength(text);
  const max = templateLimits.textMaxLength;
  return length > max ? `is ${length} characters; at most ${max} allowed` : null;
}

/** Template text: 1-4096 code points with well-formed `#param#` placeholders (one issue per stray `#`). */
const templateTextSchema = z.string().superRefine((text, context) => {
  const problem = textProblem(text);
  if (problem) context.addIssue({ code: 'custom', message: `text ${problem}`, input: text });
  for (const stray of findStrayHashes(text))
    context.addIssue({ code: 'custom', message: stray.message, input: text });
});

export const templateButtonSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('text'),
      label: z.string().superRefine(refineWith(labelProblem)),
      payload: z.string().superRefine(refineWith(payloadProblem)).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('link'),
      label: z.string().superRefine(refineWith(labelProblem)),
      url: z.string().superRefine(refineWith(urlProblem)),
    })
    .strict(),
]) satisfies z.ZodType<TemplateButton>;

/** Each item once; the message names the repeated ones. */
function uniqueItems<T extends string>(what: string) {
  return (items: T[], context: z.core.$RefinementCtx<T[]>): void => {
    const repeated = [...new Set(items.filter((item, index) => items.indexOf(item) !== index))];
    if (repeated.length === 0) return;
    const message = `${what} must be unique; repeated: ${repeated.join(', ')}`;
    context.addIssue({ code: 'custom', message, input: items });
  };
}

export const createTemplateSchema = z
  .object({
    name: templateNameSchema,
    body: templateTextSchema,
    /** Advertising, sent after the service part; same rules as the body. */
    advertisingTail: templateTextSchema.optional(),
    category: z.enum(templateCategories),
    channels: z
      .array(z.enum(channelKinds))
      .min(1, 'channels must name at least one channel')
      .superRefine(uniqueItems('channels')),
    buttons: z
      .array(templateButtonSchema)
      .max(templateLimits.maxButtons, `at most ${templateLimits.maxButtons} buttons allowed`)
      .default([]),
    images: z
      .array(z.string().min(1).max(64))
      .max(templateLimits.maxImages, `at most ${templateLimits.maxImages} images allowed`)
      .superRefine(uniqueItems('images'))
      .default([]),
  })
  .strict();

export type TemplateCategory = (typeof templateCategories)[number];
export type CreateTemplateInput = z.input<typeof createTemplateSchema>;
export type CreateTemplate = z.output<typeof createTemplateSchema>;
export type { TemplateButton };
