import { z } from 'zod';
import type { ReceivedMessage } from '../../virtual-users';
import { VkApiError } from './vk-errors';

/**
 * VK keyboard limits (dev.vk.com/ru/api/bots/development/keyboard): standard keyboards 5×10 with
 * at most 40 buttons, inline keyboards 5×6 with at most 10; labels up to 40 characters; payload
 * JSON up to 255 characters. Violations answer 911 "Keyboard format is invalid".
 */
const limits = {
  inline: { rows: 6, perRow: 5, total: 10 },
  standard: { rows: 10, perRow: 5, total: 40 },
} as const;

const label = z.string().min(1).max(40);
const payload = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  }, 'payload must be JSON')
  .optional();

const action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), label, payload }),
  z.object({ type: z.literal('callback'), label, payload }),
  z.object({ type: z.literal('open_link'), label, link: z.url({ protocol: /^https?$/ }), payload }),
  z.object({ type: z.literal('location'), payload }),
  z.object({ type: z.literal('vkpay'), hash: z.string(), payload }),
  z.object({ type: z.literal('open_app'), label, app_id: z.number(), hash: z.string().optional(), payload }),
]);

const keyboard = z.object({
  one_time: z.boolean().optional(),
  inline: z.boolean().optional(),
  buttons: z.array(z.array(z.object({ action, color: z.string().optional() }))),
});
type Keyboard = z.output<typeof keyboard>;
type ReceivedButton = ReceivedMessage['buttons'][number];

function parseKeyboard(raw: string): Keyboard {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new VkApiError(911, 'keyboard is not JSON');
  }
  const parsed = keyboard.safeParse(json);
  if (!parsed.success) throw new VkApiError(911, parsed.error.issues[0]?.message ?? 'invalid keyboard');
  return parsed.data;
}

function checkSize(parsed: Keyboard): void {
  const limit = parsed.inline ? limits.inline : limits.standard;
  const total = parsed.buttons.reduce((sum, row) => sum + row.length, 0);
  if (parsed.buttons.length > limit.rows) throw new VkApiError(911, `more than ${limit.rows} rows`);
  if (parsed.buttons.some((row) => row.length > limit.perRow))
    throw new VkApiError(911, `more than ${limit.perRow} buttons in a row`);
  if (total > limit.total) throw new VkApiError(911, `more than ${limit.total} buttons`);
}

const buttonTable: Readonly<
  Record<string, (a: Keyboard['buttons'][number][number]['action']) => ReceivedButton | null>
> = {
  text: (a) =>
    'label' in a ? { label: a.label, kind: 'reply', ...(a.payload ? { payload: a.payload } : {}) } : null,
  callback: (a) =>
    'label' in a ? { label: a.label, kind: 'callback', ...(a.payload ? { payload: a.payload } : {}) } : null,
  open_link: (a) => ('link' in a ? { label: a.label, kind: 'link', url: a.link } : null),
};

const buttonMappers = new Map(Object.entries(buttonTable));

/**
 * Validates a `keyboard` parameter like VK (911 for format and size, 912 when the community's bot
 * capabilities are off) and returns the buttons the user sees.
 */
export function keyboardButtons(raw: string, botCapabilities: boolean): ReceivedButton[] {
  const parsed = parseKeyboard(raw);
  checkSize(parsed);
  if (!botCapabilities && parsed.buttons.length > 0) throw new VkApiError(912);
  return parsed.buttons.flat().flatMap(({ action: item }) => {
    const mapped = buttonMappers.get(item.type)?.(item) ?? null;
    return mapped ? [mapped] : [];
  });
}
