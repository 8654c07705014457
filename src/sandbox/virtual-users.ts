import { z } from 'zod';
import type { SandboxClock } from './sandbox-clock';
import type { SeededRandom } from './seeded-random';

/** Chat platforms a virtual user can hold an account on (SMS and e-mail use `phone` / `email`). */
export const chatPlatforms = ['vk', 'ok', 'telegram', 'viber', 'whatsapp'] as const;
export type ChatPlatform = (typeof chatPlatforms)[number];
export const isChatPlatform = (name: string): name is ChatPlatform =>
  (chatPlatforms as readonly string[]).includes(name);

/** Where a virtual user received something. `vk`/`ok` include notification-gateway deliveries. */
export const receivingPlatforms = [...chatPlatforms, 'sms', 'email'] as const;
export type ReceivingPlatform = (typeof receivingPlatforms)[number];

const accountInput = z
  .object({
    /** Platform user id; generated when absent (numeric for VK/OK/Telegram, a token for Viber, the phone for WhatsApp). */
    id: z.string().min(1).max(64).optional(),
    /**
     * VK: allowed community messages; Telegram: started the bot; Viber: subscribed; OK: wrote to the
     * group; WhatsApp: wrote within the last 24 h (the service window is open).
     */
    reachable: z.boolean().default(true),
    /** The user blocked the business (Telegram 403, VK 900). */
    blocked: z.boolean().default(false),
  })
  .strict();

export const createUserInput = z
  .object({
    phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'phone must be E.164, e.g. +79161234567'),
    name: z.string().min(1).max(100).default('Virtual User'),
    email: z.email().optional(),
    /** Minutes since the user last opened the app; the notification gateway only reaches users active in 7 days. */
    lastSeenMinutesAgo: z.number().int().min(0).max(525600).default(0),
    /** When set, every message the user receives is read after this many milliseconds. */
    readDelayMs: z.number().int().min(0).max(3_600_000).nullable().default(null),
    /** Accounts per platform; `true` means an account with defaults. Absent platforms: no account. */
    accounts: z
      .partialRecord(z.enum(chatPlatforms), z.union([z.literal(true), accountInput]))
      .default({ vk: true, ok: true, telegram: true, viber: true, whatsapp: true }),
  })
  .strict();
export type CreateUserInput = z.input<typeof createUserInput>;

export interface PlatformAccount {
  id: string;
  reachable: boolean;
  blocked: boolean;
  /** Last time the user wrote on this platform (WhatsApp window, OK "wrote first"). */
  lastUserMessageAt: Date | null;
}

export interface ReceivedMessage {
  platform: ReceivingPlatform;
  /** The platform's message id, as the business saw it. */
  messageId: string;
  /** Which business account sent it (bot id, group id, phone number id, sender name…). */
  from: string;
  via: 'chat' | 'notify' | 'sms' | 'email';
  text: string;
  buttons: Array<{ label: string; kind: 'reply' | 'callback' | 'link'; payload?: string; url?: string }>;
  images: Array<{ mimeType: string; size: number }>;
  template?: { name: string; params: Record<string, string> };
  subject?: string;
  replyTo?: string;
  receivedAt: string;
  status: 'delivered' | 'read' | 'deleted';
}

export interface VirtualUser {
  id: string;
  phone: string;
  name: string;
  email: string | null;
  lastSeenAt: Date;
  readDelayMs: number | null;
  accounts: Partial<Record<ChatPlatform, PlatformAccount>>;
  received: ReceivedMessage[];
}

const numericId = (random: SeededRandom, digits: number): string =>
  String(random.int(1, 9)) + Array.from({ length: digits - 1 }, () => random.int(0, 9)).join('');

const defaultAccountId: Record<ChatPlatform, (random: SeededRandom, phone: string) => string> = {
  vk: (random) => numericId(random, 9),
  ok: (random) => numericId(random, 12),
  telegram: (random) => numericId(random, 10),
  viber: (random) => `${random.token(22)}==`,
  whatsapp: (_random, phone) => phone.slice(1),
};

/** In-memory virtual users, looked up by sandbox id, phone, or platform account id. */
export class VirtualUserStore {
  private readonly users = new Map<string, VirtualUser>();
  private sequence = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly clock: SandboxClock,
  ) {}

  create(input: z.output<typeof createUserInput>): VirtualUser {
    this.sequence += 1;
    const accounts: VirtualUser['accounts'] = {};
    for (const platform of chatPlatforms) {
      const spec = input.accounts[platform];
      if (!spec) continue;
      const options = spec === true ? accountInput.parse({}) : spec;
      const now = this.clock.now();
      accounts[platform] = {
        id: options.id ?? defaultAccountId[platform](this.random, input.phone),
        reachable: options.reachable,
        blocked: options.blocked,
        lastUserMessageAt: options.reachable ? now : null,
      };
    }
    const user: VirtualUser = {
      id: `u${this.sequence}`,
      phone: input.phone,
      name: input.name,
      email: input.email ?? null,
      lastSeenAt: new Date(this.clock.nowMs() - input.lastSeenMinutesAgo * 60_000),
      readDelayMs: input.readDelayMs,
      accounts,
      received: [],
    };
    this.users.set(user.id, user);
    return user;
  }

  get(id: string): VirtualUser | undefined {
    return this.users.get(id);
  }

  byPhone(phone: string): VirtualUser | undefined {
    return [...this.users.values()].find((user) => user.phone === phone);
  }

  byEmail(address: string): VirtualUser | undefined {
    const wanted = address.toLowerCase();
    return [...this.users.values()].find((user) => user.email?.toLowerCase() === wanted);
  }

  byAccount(platform: ChatPlatform, accountId: string): VirtualUser | undefined {
    return [...this.users.values()].find((user) => user.accounts[platform]?.id === accountId);
  }

  all(): VirtualUser[] {
    return [...this.users.values()];
  }

  /** Records a message the user received and returns it. */
  deliver(user: VirtualUser, message: Omit<ReceivedMessage, 'receivedAt' | 'status'>): ReceivedMessage {
    const record: ReceivedMessage = {
      ...message,
      receivedAt: this.clock.now().toISOString(),
      status: 'delivered',
    };
    user.received.push(record);
    return record;
  }

  findReceived(
    user: VirtualUser,
    platform: ReceivingPlatform,
    messageId: string,
  ): ReceivedMessage | undefined {
    return user.received.find((message) => message.platform === platform && message.messageId === messageId);
  }

  clear(): void {
    this.users.clear();
  }
}

/** The JSON the control API returns for a user. */
export function publicUser(user: VirtualUser): object {
  return {
    id: user.id,
    phone: user.phone,
    name: user.name,
    email: user.email,
    lastSeenAt: user.lastSeenAt.toISOString(),
    readDelayMs: user.readDelayMs,
    accounts: user.accounts,
  };
}
