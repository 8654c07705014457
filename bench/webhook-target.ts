import { createHmac } from 'node:crypto';
import type { LoadTarget } from './load';

/**
 * The webhook ingress under load: a Viber channel (the bench only needs its auth token to sign)
 * receiving signed `message` callbacks, each with a new `message_token`, so every request is
 * verified, stored under a new unique key and queued — the full ingress path, not the duplicate one.
 */
export async function webhookTarget(base: string, apiKey: string, authToken: string): Promise<LoadTarget> {
  return signedCallbacks(await benchViberWebhook(base, apiKey, authToken), authToken);
}

/**
 * Creates a Viber channel for ingress only and returns its webhook URL. Its API base URL is a
 * closed port: Vestnik's set_webhook call fails at once and the channel stays usable for ingress.
 */
export async function benchViberWebhook(base: string, apiKey: string, authToken: string): Promise<string> {
  const created = await fetch(`${base}/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'viber',
      name: 'bench',
      config: { authToken, botName: 'Bench', apiBaseUrl: 'http://127.0.0.1:9/pa' },
    }),
  });
  const channel = (await created.json()) as { id?: string };
  if (created.status !== 201 || !channel.id)
    throw new Error(`bench: could not create the channel (${created.status})`);
  return `${base}/webhooks/${channel.id}`;
}

/** The `X-Viber-Content-Signature` of a body: hex HMAC-SHA256 with the channel's auth token. */
export function viberSignature(body: string, authToken: string): string {
  return createHmac('sha256', authToken).update(body).digest('hex');
}

/** Signed Viber `message` callbacks with a new 64-bit `message_token` each. */
export function signedCallbacks(url: string, authToken: string): LoadTarget {
  let token = 5_741_311_803_571_721_000n;
  return {
    url,
    headers: {},
    post: () => {
      token += 1n;
      const body = `{"event":"message","timestamp":${Date.now()},"message_token":${token},"sender":{"id":"01234567890A=","name":"Bench"},"message":{"type":"text","text":"Где мой заказ?"}}`;
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-viber-content-signature': viberSignature(body, authToken),
        },
      };
    },
  };
}
