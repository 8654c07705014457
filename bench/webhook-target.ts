import { createHmac } from 'node:crypto';
import type { LoadTarget } from './load';

/**
 * The webhook ingress under load: a Viber channel (the bench only needs its auth token to sign)
 * receiving signed `message` callbacks, each with a new `message_token`, so every request is
 * verified, stored under a new unique key and queued — the full ingress path, not the duplicate one.
 */
export async function webhookTarget(base: string, apiKey: string, authToken: string): Promise<LoadTarget> {
  const created = await fetch(`${base}/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    // A closed port: Vestnik's set_webhook call fails at once and the channel stays usable for ingress.
    body: JSON.stringify({
      type: 'viber',
      name: 'bench',
      config: { authToken, botName: 'Bench', apiBaseUrl: 'http://127.0.0.1:9/pa' },
    }),
  });
  const channel = (await created.json()) as { id?: string };
  if (created.status !== 201 || !channel.id)
    throw new Error(`bench: could not create the channel (${created.status})`);
  return signedCallbacks(`${base}/webhooks/${channel.id}`, authToken);
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
      const signature = createHmac('sha256', authToken).update(body).digest('hex');
      return {
        body,
        headers: { 'content-type': 'application/json', 'x-viber-content-signature': signature },
      };
    },
  };
}
