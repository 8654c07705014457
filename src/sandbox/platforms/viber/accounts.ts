import { z } from 'zod';
import type { SeededRandom } from '../../seeded-random';

/** Events a webhook can subscribe to (set_webhook `event_types`); the others always come. */
export const filterableEvents = [
  'delivered',
  'seen',
  'failed',
  'subscribed',
  'unsubscribed',
  'conversation_started',
] as const;
/** "message", "subscribed" and "unsubscribed" cannot be filtered out. */
export const mandatoryEvents = ['message', 'subscribed', 'unsubscribed', 'webhook'] as const;

/** What a bot sent to one user that later user actions need (tracking data, buttons). */
export interface SentViberMessage {
  token: string;
  userId: string;
  trackingData: string;
}

/** One simulated Viber bot. */
export interface ViberAccount {
  authToken: string;
  /** `pa:…` id, as get_account_info reports it. */
  id: string;
  name: string;
  uri: string;
  webhook: { url: string; eventTypes: string[] } | null;
  /** Per Viber user id: the tracking data of the last message sent, returned with their next message. */
  lastTrackingData: Map<string, string>;
  /** Per Viber user id: send times since the user last wrote (Viber: 100 per hour without a reply). */
  unanswered: Map<string, number[]>;
}

export const createAccountInput = z
  .object({
    /** Bot name (Viber shows the per-message `sender.name`; this is the account's own name). */
    name: z.string().trim().min(1).max(75).default('Vestnik Sandbox Bot'),
    /** Public URI of the bot (`viber://pa?chatURI=<uri>`). */
    uri: z
      .string()
      .regex(/^[a-z0-9]{3,40}$/, 'uri: 3–40 lower-case letters and digits')
      .optional(),
  })
  .strict();

/** The bots of one sandbox, by auth token. */
export class ViberAccountStore {
  private readonly accounts = new Map<string, ViberAccount>();
  private readonly owners = new Map<string, { account: ViberAccount; sent: SentViberMessage }>();

  constructor(private readonly random: SeededRandom) {}

  create(input: z.output<typeof createAccountInput>): ViberAccount {
    const account: ViberAccount = {
      // Real tokens look like 445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9.
      authToken: `${this.random.hex(16)}-${this.random.hex(16)}-${this.random.hex(16)}`,
      id: `pa:${this.random.int(1_000_000_000, 9_999_999_999)}${this.random.int(1_000_000_000, 9_999_999_999)}`,
      name: input.name,
      uri: input.uri ?? `vestnik${this.random.hex(8)}`,
      webhook: null,
      lastTrackingData: new Map(),
      unanswered: new Map(),
    };
    this.accounts.set(account.authToken, account);
    return account;
  }

  byToken(token: string | undefined): ViberAccount | undefined {
    return token ? this.accounts.get(token) : undefined;
  }

  /** By id or uri; without one, the most recently created bot with a webhook. */
  find(idOrUri: string | undefined): ViberAccount | undefined {
    const all = [...this.accounts.values()];
    if (idOrUri) return all.find((account) => account.id === idOrUri || account.uri === idOrUri);
    return all.reverse().find((account) => account.webhook !== null);
  }

  recordSent(account: ViberAccount, sent: SentViberMessage): void {
    this.owners.set(sent.token, { account, sent });
    account.lastTrackingData.set(sent.userId, sent.trackingData);
  }

  /** The bot that sent a message, and what it sent. */
  ownerOf(token: string): { account: ViberAccount; sent: SentViberMessage } | undefined {
    return this.owners.get(token);
  }

  all(): ViberAccount[] {
    return [...this.accounts.values()];
  }
}
