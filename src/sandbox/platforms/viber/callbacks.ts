import { createHmac } from 'node:crypto';
import type { CallbackAnswer } from '../../callback-sender';
import type { SandboxContext } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import { mandatoryEvents, type ViberAccount } from './accounts';
import { newMessageToken, viberChatHostname, viberTimestamp, viberWireJson } from './wire';

/**
 * Viber "Re-try logic": a callback not answered with HTTP 200 is sent again with the same bytes
 * (same `message_token`), for a while. The sandbox retries three times.
 */
const retryDelaysMs = [1_000, 10_000, 60_000];

/** A callback body: `event` first, tokens as bigint. */
export type ViberCallbackBody = { event: string; message_token: bigint } & Record<string, unknown>;

/** The callback envelope Viber puts on every event (Viber REST API, "Callbacks"). */
export function envelope(
  context: SandboxContext,
  event: string,
  token: bigint = newMessageToken(context.random),
): ViberCallbackBody {
  return {
    event,
    timestamp: viberTimestamp(context.clock.now()),
    chat_hostname: viberChatHostname,
    message_token: token,
  };
}

/** `sender` / `user` object of a callback. */
export function viberUserObject(user: VirtualUser, viberId: string): Record<string, unknown> {
  return {
    id: viberId,
    name: user.name,
    avatar: 'https://media-direct.cdn.viber.com/download_photo?dlid=sandbox&fltp=jpg&imsz=0000',
    language: 'ru',
    country: user.phone.startsWith('+7') ? 'RU' : 'UK',
    api_version: 10,
  };
}

/** HMAC-SHA256 hex of the exact body, keyed with the bot's auth token (`X-Viber-Content-Signature`). */
const signViberBody = (authToken: string, body: string): string =>
  createHmac('sha256', authToken).update(body).digest('hex');

const wants = (account: ViberAccount, event: string): boolean =>
  (mandatoryEvents as readonly string[]).includes(event) ||
  (account.webhook?.eventTypes.includes(event) ?? false);

async function deliver(
  context: SandboxContext,
  account: ViberAccount,
  url: string,
  body: string,
): Promise<CallbackAnswer | null> {
  return context.callbacks.send('viber', {
    url,
    headers: { 'X-Viber-Content-Signature': signViberBody(account.authToken, body) },
    body,
  });
}

/** Sends one signed callback to the bot's webhook, retrying it like Viber while it is not 200. */
export async function sendViberCallback(
  context: SandboxContext,
  account: ViberAccount,
  payload: ViberCallbackBody,
): Promise<void> {
  const webhook = account.webhook;
  if (!webhook || !wants(account, payload.event)) return;
  const body = viberWireJson.stringify(payload);
  const retry = async (attempt: number): Promise<void> => {
    const answer = await deliver(context, account, webhook.url, body);
    const delay = retryDelaysMs[attempt];
    if (answer?.status === 200 || delay === undefined || account.webhook?.url !== webhook.url) return;
    context.later(delay, () => retry(attempt + 1));
  };
  await retry(0);
}

/** The availability check set_webhook makes: a signed `webhook` event that must get a 200. */
export async function checkWebhook(
  context: SandboxContext,
  account: ViberAccount,
  url: string,
): Promise<boolean> {
  const body = viberWireJson.stringify(envelope(context, 'webhook'));
  const answer = await deliver(context, account, url, body);
  return answer?.status === 200;
}
