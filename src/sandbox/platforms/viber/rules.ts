import { z } from 'zod';
import { ViberApiError } from './errors';

/** Viber REST API, send_message: "Maximum message size is 30KB". */
const maxMessageBytes = 30 * 1024;

/** developers.viber.com/docs/tools/keyboards — "Buttons parameters". */
const keyboardButton = z.looseObject({
  Columns: z.number().int().min(1).max(6).optional(),
  Rows: z.number().int().min(1).max(2).optional(),
  ActionType: z.enum(['reply', 'open-url', 'location-picker', 'share-phone', 'none']).default('reply'),
  ActionBody: z.string().min(1).max(4000),
  Text: z.string().max(250).optional(),
});

/** A keyboard holds at most 24 buttons. */
const keyboard = z.looseObject({
  Type: z.literal('keyboard').optional(),
  DefaultHeight: z.boolean().optional(),
  Buttons: z.array(keyboardButton).min(1).max(24),
});

const common = z.looseObject({
  receiver: z.string().min(1).max(200),
  type: z.string(),
  sender: z.looseObject({ name: z.string().min(1).max(28), avatar: z.string().max(2000).optional() }),
  tracking_data: z.string().max(4000).optional(),
  min_api_version: z.number().int().min(1).optional(),
  keyboard: keyboard.nullish(),
});

/** Per `type`, what Viber requires ("Message types" of the REST API). */
const typeRules: Readonly<Record<string, z.ZodType>> = {
  text: z.looseObject({ text: z.string().min(1).max(7000) }),
  picture: z.looseObject({ media: z.url(), text: z.string().max(768).nullish() }),
  video: z.looseObject({ media: z.url(), size: z.number().int().min(1) }),
  file: z.looseObject({
    media: z.url(),
    size: z.number().int().min(1),
    file_name: z.string().min(1).max(256),
  }),
  location: z.looseObject({ location: z.looseObject({ lat: z.number(), lon: z.number() }) }),
  contact: z.looseObject({
    contact: z.looseObject({ name: z.string().min(1), phone_number: z.string().min(1) }),
  }),
  url: z.looseObject({ media: z.url().max(2000) }),
  sticker: z.looseObject({ sticker_id: z.number().int() }),
  rich_media: z.looseObject({ rich_media: z.looseObject({}) }),
};

export type SendMessageRequest = z.output<typeof common> & {
  text?: string;
  media?: string;
};

const detailOf = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');

/**
 * Checks a send_message body the way Viber answers it: absent required fields → 4 `missingData`,
 * anything malformed or over a limit (text > 7000, > 24 buttons, label > 250, body > 30 KB) →
 * 3 `badData`.
 */
export function checkSendMessage(body: unknown): SendMessageRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ViberApiError('badData');
  const fields = body as Record<string, unknown>;
  const sender = fields.sender as { name?: unknown } | undefined;
  if (fields.receiver === undefined || fields.type === undefined || sender?.name === undefined) {
    throw new ViberApiError('missingData', 'receiver, type and sender.name are required');
  }
  if (Buffer.byteLength(JSON.stringify(body), 'utf8') > maxMessageBytes) {
    throw new ViberApiError('badData', 'message exceeds 30 KB');
  }
  const parsed = common.safeParse(body);
  if (!parsed.success) throw new ViberApiError('badData', detailOf(parsed.error));
  const rule = Object.hasOwn(typeRules, parsed.data.type) ? typeRules[parsed.data.type] : undefined;
  if (!rule) throw new ViberApiError('badData', `unknown message type ${parsed.data.type}`);
  const typed = rule.safeParse(body);
  if (!typed.success) throw new ViberApiError('badData', detailOf(typed.error));
  return { ...parsed.data, ...(typed.data as { text?: string; media?: string }) };
}
