import type { Button, ButtonKind, ChannelCapabilities } from '../../adapters/contract';
import { codePointLength, templateLimits } from './template-limits';

/**
 * A button as a template declares it. `text` buttons send `payload` back when pressed (the label
 * when no payload is given); which contract kind carries them (`callback` or `reply`) depends on
 * the channel. `link` buttons open an http(s) URL.
 */
export type TemplateButton =
  | { kind: 'text'; label: string; payload?: string }
  | { kind: 'link'; label: string; url: string };

export type ButtonRule =
  | 'buttons.max'
  | 'buttons.label'
  | 'buttons.payload'
  | 'buttons.url'
  | 'buttons.kinds'
  | 'buttons.maxLabelLength';

export type ButtonsCheck = { ok: true } | { ok: false; rule: ButtonRule; message: string; index?: number };

export type ChannelButtons =
  | { ok: true; buttons: Button[] }
  | { ok: false; rule: ButtonRule; message: string };

type Failure = Extract<ButtonsCheck, { ok: false }>;

/** Why a label is refused, or `null`: 1-40 characters (code points), not only whitespace. */
export function labelProblem(label: string): string | null {
  const length = codePointLength(label);
  if (label.trim().length === 0) return 'label must not be empty';
  const max = templateLimits.buttonLabelMaxLength;
  return length > max ? `label is ${length} characters; at most ${max} allowed` : null;
}

/** Why a payload is refused, or `null`: 1-64 bytes in UTF-8. */
export function payloadProblem(payload: string): string | null {
  const bytes = Buffer.byteLength(payload, 'utf8');
  const max = templateLimits.buttonPayloadMaxBytes;
  if (bytes === 0) return 'payload must not be empty (leave it out to send the label)';
  return bytes > max ? `payload is ${bytes} bytes in UTF-8; at most ${max} allowed` : null;
}

/** Why a link is refused, or `null`: an absolute http or https URL with a host. */
export function urlProblem(url: string): string | null {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '')
    return `url "${url}" must be an absolute http(s) URL`;
  return null;
}

function buttonFailure(button: TemplateButton, index: number): Failure | null {
  const at = (rule: ButtonRule, problem: string): Failure => ({
    ok: false,
    rule,
    message: `button ${index + 1}: ${problem}`,
    index,
  });
  const label = labelProblem(button.label);
  if (label) return at('buttons.label', label);
  const other = button.kind === 'link' ? urlProblem(button.url) : payloadProblemOf(button);
  if (other) return at(button.kind === 'link' ? 'buttons.url' : 'buttons.payload', other);
  return null;
}

const payloadProblemOf = (button: { payload?: string }): string | null =>
  button.payload === undefined ? null : payloadProblem(button.payload);

/** Checks a template's buttons against the template rules (at most 6; labels, payloads, URLs). */
export function checkTemplateButtons(buttons: readonly TemplateButton[]): ButtonsCheck {
  const max = templateLimits.maxButtons;
  if (buttons.length > max)
    return {
      ok: false,
      rule: 'buttons.max',
      message: `template has ${buttons.length} buttons; at most ${max} allowed`,
    };
  for (const [index, button] of buttons.entries()) {
    const failure = buttonFailure(button, index);
    if (failure) return failure;
  }
  return { ok: true };
}

function textKind(kinds: readonly ButtonKind[]): 'callback' | 'reply' | null {
  if (kinds.includes('callback')) return 'callback';
  return kinds.includes('reply') ? 'reply' : null;
}

function toButton(button: TemplateButton, kinds: readonly ButtonKind[]): Button | string {
  if (button.kind === 'link') {
    if (!kinds.includes('link')) return `the channel has no link buttons ("${button.label}")`;
    return { kind: 'link', label: button.label, url: button.url };
  }
  const kind = textKind(kinds);
  if (!kind) return `the channel has no callback or reply buttons ("${button.label}")`;
  return { kind, label: button.label, payload: button.payload ?? button.label };
}

function channelLimitFailure(
  buttons: readonly TemplateButton[],
  limits: NonNullable<ChannelCapabilities['buttons']>,
): Extract<ChannelButtons, { ok: false }> | null {
  if (buttons.length > limits.max) {
    const message = `template has ${buttons.length} buttons; the channel allows at most ${limits.max}`;
    return { ok: false, rule: 'buttons.max', message };
  }
  const long = buttons.find((button) => codePointLength(button.label) > limits.maxLabelLength);
  if (!long) return null;
  const message = `label "${long.label}" is ${codePointLength(long.label)} characters; the channel allows at most ${limits.maxLabelLength}`;
  return { ok: false, rule: 'buttons.maxLabelLength', message };
}

/**
 * The contract buttons a channel receives for a template's buttons: `text` becomes `callback` where
 * the channel has callback buttons, else `reply`. Fails (so a route step can be skipped as
 * `content-unsupported`) when the template breaks its own rules, or the channel has no buttons,
 * fewer of them, shorter labels or not the kind. Rows (`maxPerRow`) are the adapter's layout.
 */
export function buttonsForChannel(
  buttons: readonly TemplateButton[],
  capabilities: ChannelCapabilities,
): ChannelButtons {
  const check = checkTemplateButtons(buttons);
  if (!check.ok) return { ok: false, rule: check.rule, message: check.message };
  if (buttons.length === 0) return { ok: true, buttons: [] };
  const limits = capabilities.buttons;
  if (!limits) return { ok: false, rule: 'buttons.max', message: 'the channel has no buttons' };
  const limitFailure = channelLimitFailure(buttons, limits);
  if (limitFailure) return limitFailure;
  const mapped = buttons.map((button) => toButton(button, limits.kinds));
  const refused = mapped.find((entry): entry is string => typeof entry === 'string');
  if (refused !== undefined) return { ok: false, rule: 'buttons.kinds', message: refused };
  return { ok: true, buttons: mapped.filter((entry): entry is Button => typeof entry !== 'string') };
}
