import { createHmac } from 'node:crypto';
import type { SandboxContext } from '../../sandbox-platform';
import type { WhatsappAccount } from './accounts';

/** `changes[].value` minus the fields every notification has. */
export type MessagesValueBody = Record<string, unknown>;

/**
 * Webhooks the simulator sends to the business, signed like Meta's: `X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256(app secret, exact body)>` (and the legacy SHA-1 `X-Hub-Signature`).
 * Always through `context.callbacks`, so drop / duplicate faults apply.
 */
export class WhatsappWebhooks {
  constructor(private readonly context: SandboxContext) {}

  /** One `messages` notification for the account's number; nothing when no callback is verified. */
  async notify(account: WhatsappAccount, value: MessagesValueBody): Promise<void> {
    if (!account.callback) return;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: account.wabaId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: account.displayPhoneNumber,
                  phone_number_id: account.phoneNumberId,
                },
                ...value,
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
    await this.context.callbacks.send('whatsapp', {
      url: account.callback.url,
      headers: {
        'x-hub-signature-256': `sha256=${sign('sha256', account.appSecret, body)}`,
        'x-hub-signature': `sha1=${sign('sha1', account.appSecret, body)}`,
        'user-agent': 'facebookexternalua',
      },
      body,
    });
  }

  /**
   * Meta's verification request: `GET url?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`;
   * the endpoint must answer 200 with exactly the challenge. Returns why it failed, or `null`.
   */
  async verifyCallback(url: string, verifyToken: string): Promise<string | null> {
    const challenge = String(this.context.random.int(100_000_000, 2_147_483_647));
    const target = new URL(url);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', verifyToken);
    const answer = await this.context.callbacks.send('whatsapp', {
      url: target.toString(),
      method: 'GET',
      body: '',
    });
    if (!answer) return 'the callback URL did not answer';
    if (answer.status !== 200) return `HTTP Status Code = ${answer.status}`;
    if (answer.body !== challenge) return 'The URL did not return the expected challenge';
    return null;
  }
}

function sign(algorithm: 'sha256' | 'sha1', secret: string, body: string): string {
  return createHmac(algorithm, secret).update(body, 'utf8').digest('hex');
}
