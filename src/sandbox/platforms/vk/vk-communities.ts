import { z } from 'zod';
import type { SeededRandom } from '../../seeded-random';

/** Control input for `POST /_sandbox/accounts {platform: 'vk', ...}`: create or update a community. */
export const vkAccountInput = z
  .object({
    groupId: z.number().int().positive().max(2_000_000_000).optional(),
    name: z.string().min(1).max(100).default('Sandbox community'),
    /** Adds (or updates) a Callback API server with every message event, as an admin would in the UI. */
    callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
    secretKey: z.string().min(1).max(50).optional(),
    /** "Bot capabilities" in the community settings; keyboards answer 912 when off. */
    botCapabilities: z.boolean().default(true),
    /** Whether the community token has the `manage` scope (Callback API server methods). */
    manageScope: z.boolean().default(true),
  })
  .strict();
export type VkAccountInput = z.output<typeof vkAccountInput>;

export type CallbackServerStatus = 'unconfigured' | 'failed' | 'wait' | 'ok';

export interface CallbackServer {
  id: number;
  title: string;
  url: string;
  secretKey: string;
  status: CallbackServerStatus;
  apiVersion: string;
  events: Set<string>;
}

/** A message in the community's mailbox (sent by the community or by a user). */
export interface StoredMessage {
  id: number;
  peerId: number;
  cmid: number;
  out: boolean;
  dateMs: number;
  text: string;
}

export interface Community {
  groupId: number;
  name: string;
  accessToken: string;
  confirmationCode: string;
  botCapabilities: boolean;
  manageScope: boolean;
  servers: CallbackServer[];
  messages: Map<number, StoredMessage>;
  /** `peer:random_id` → first message id and when it was sent (VK dedupes for an hour). */
  randomIds: Map<string, { messageId: number; atMs: number }>;
  /** Open `message_event` ids (valid for a minute) → expiry. */
  pendingEvents: Map<string, number>;
  /** Per-peer conversation message id counters. */
  cmids: Map<number, number>;
  /** Request times of the last second, for the 20 requests/s limit. */
  recentCalls: number[];
}

/** Communities of the VK simulator, by group id and by access token. */
export class CommunityStore {
  private readonly byGroup = new Map<number, Community>();
  private messageSequence: number;
  private serverSequence = 0;

  constructor(private readonly random: SeededRandom) {
    this.messageSequence = random.int(1000, 9000);
  }

  upsert(input: VkAccountInput): { community: Community; created: boolean } {
    const existing = input.groupId ? this.byGroup.get(input.groupId) : undefined;
    if (existing) {
      existing.botCapabilities = input.botCapabilities;
      existing.manageScope = input.manageScope;
      return { community: existing, created: false };
    }
    const community: Community = {
      groupId: input.groupId ?? this.random.int(100_000_000, 239_999_999),
      name: input.name,
      accessToken: `vk1.a.${this.random.token(64)}`,
      confirmationCode: this.random.hex(8),
      botCapabilities: input.botCapabilities,
      manageScope: input.manageScope,
      servers: [],
      messages: new Map(),
      randomIds: new Map(),
      pendingEvents: new Map(),
      cmids: new Map(),
      recentCalls: [],
    };
    this.byGroup.set(community.groupId, community);
    return { community, created: true };
  }

  byToken(token: string): Community | undefined {
    return [...this.byGroup.values()].find((community) => community.accessToken === token);
  }

  get(groupId: number): Community | undefined {
    return this.byGroup.get(groupId);
  }

  all(): Community[] {
    return [...this.byGroup.values()];
  }

  addServer(community: Community, url: string, title: string, secretKey: string): CallbackServer {
    this.serverSequence += 1;
    const server: CallbackServer = {
      id: this.serverSequence,
      title,
      url,
      secretKey,
      status: 'unconfigured',
      apiVersion: '5.199',
      events: new Set(),
    };
    community.servers.push(server);
    return server;
  }

  /** Stores a message under the next mailbox id and the peer's next conversation message id. */
  storeMessage(community: Community, message: Omit<StoredMessage, 'id' | 'cmid'>): StoredMessage {
    this.messageSequence += 1;
    const cmid = (community.cmids.get(message.peerId) ?? 0) + 1;
    community.cmids.set(message.peerId, cmid);
    const stored = { ...message, id: this.messageSequence, cmid };
    community.messages.set(stored.id, stored);
    return stored;
  }
}
