/**
 * The payload scheme of the built-in blocks, and buttons as authors write them.
 *
 * - `goto:<id>` — show a menu, answer a FAQ entry or start collecting a value, by its id;
 * - `menu:<menu id>:<option index>` — a menu option that answers in place;
 * - `bot:handoff` — the engine's hand-off button (handled before the flow runs).
 *
 * Payloads of other shapes (`confirm`, `deny`, a notification template's buttons) are the flow's
 * own and reach `onPayload` / `reaction`.
 */
import type { BotButton, BotContext } from '../engine/bot-context';
import { handoffPayload } from '../engine/run-turn';

/** Prefixes of the payloads the blocks and the engine own; a custom payload must not start with one. */
export const reservedPayloadPrefixes = ['goto:', 'menu:', 'bot:'] as const;

/** A button as authors write it: go to a block, hand off, open a link, or carry a custom payload. */
export type ButtonSpec =
  | { label: string; goto: string }
  | { label: string; handoff: true }
  | { label: string; url: string }
  | { label: string; payload: string };

/** The payload of a button that goes to the menu, FAQ entry or collect with this id. */
export function gotoPayload(id: string): string {
  return `goto:${id}`;
}

/** The id a `goto:` payload names, or null for any other payload. */
export function gotoTarget(payload: string | null): string | null {
  return payload?.startsWith('goto:') ? payload.slice('goto:'.length) : null;
}

/** Whether the turn's message is a press of the `goto:` button for `id`. */
export function pressedGoto(ctx: BotContext, id: string): boolean {
  return gotoTarget(ctx.message.payload) === id;
}

/** Whether a custom payload collides with the blocks' or the engine's scheme. */
export function isReservedPayload(payload: string): boolean {
  return reservedPayloadPrefixes.some((prefix) => payload.startsWith(prefix));
}

/** The engine's button for an authored one. */
export function toBotButton(spec: ButtonSpec): BotButton {
  if ('goto' in spec) return { label: spec.label, payload: gotoPayload(spec.goto) };
  if ('handoff' in spec) return { label: spec.label, payload: handoffPayload };
  if ('url' in spec) return { label: spec.label, url: spec.url };
  return { label: spec.label, payload: spec.payload };
}

/** The engine's buttons for authored ones (undefined stays undefined: no buttons). */
export function toBotButtons(specs: readonly ButtonSpec[] | undefined): BotButton[] | undefined {
  return specs?.map(toBotButton);
}

/** Replies with a text and its buttons (none when there are none). */
export function replyWith(ctx: BotContext, text: string, buttons: readonly BotButton[] | undefined): void {
  ctx.reply(text, buttons?.length ? { buttons } : undefined);
}
