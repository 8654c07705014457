import type { SeededRandom } from '../../seeded-random';
import type { DeliveryPolicy, NotifyRoute, TemplateButton } from './wire-schemas';

export type TemplateStatus = 'moderation' | 'approved' | 'rejected';

export interface TemplateRecord {
  name: string;
  text: string;
  buttons: TemplateButton[];
  status: TemplateStatus;
  /** Rejection reason code (`text_too_long`, `link_shortener`) and the moderator's comment. */
  reason?: string;
  comment?: string;
  submittedAt: string;
}

export type NotificationState = 'sent' | 'delivered' | 'read' | 'undelivered' | 'expired';

/** One accepted notification and where it stands. */
export interface NotificationRecord {
  id: string;
  clientMessageId?: string;
  /** Canonical request, to tell an idempotent retry from a conflicting reuse of `message_id`. */
  fingerprint: string;
  route: NotifyRoute;
  phone: string;
  policy: DeliveryPolicy;
  template: string;
  params: Record<string, string>;
  text: string;
  buttons: TemplateButton[];
  callbackUrl?: string;
  acceptedAtMs: number;
  expiresAtMs: number;
  state: NotificationState;
  reason?: string;
  /** Whether the user's device has it (recorded in the virtual user's `received`). */
  handedOver: boolean;
  /** Status callbacks of one notification go out one after another, in order. */
  callbacks: Promise<void>;
}

/** One business account of the gateway: its VK and OK groups share the name users see. */
export interface NotifyAccount {
  id: string;
  name: string;
  apiKey: string;
  callbackSecret: string;
  rateLimitPerSecond: number;
  templates: Map<string, TemplateRecord>;
  notifications: Map<string, NotificationRecord>;
  byClientId: Map<string, NotificationRecord>;
  /** Sandbox-clock times of recent notify requests, for the per-second limit. */
  recentSends: number[];
}

/** The gateway's accounts, found by API key; notifications found by gateway id. */
export class NotifyAccountStore {
  private readonly accounts = new Map<string, NotifyAccount>();
  private readonly notificationOwners = new Map<string, NotifyAccount>();

  constructor(private readonly random: SeededRandom) {}

  create(name: string, rateLimitPerSecond: number): NotifyAccount {
    const account: NotifyAccount = {
      id: `acc_${this.random.hex(12)}`,
      name,
      apiKey: `ntf_${this.random.token(40)}`,
      callbackSecret: this.random.token(32),
      rateLimitPerSecond,
      templates: new Map(),
      notifications: new Map(),
      byClientId: new Map(),
      recentSends: [],
    };
    this.accounts.set(account.apiKey, account);
    return account;
  }

  byApiKey(apiKey: string): NotifyAccount | undefined {
    return this.accounts.get(apiKey);
  }

  count(): number {
    return this.accounts.size;
  }

  newNotificationId(): string {
    return `${this.random.hex(8)}-${this.random.hex(4)}-${this.random.hex(4)}-${this.random.hex(12)}`;
  }

  addNotification(account: NotifyAccount, record: NotificationRecord): void {
    account.notifications.set(record.id, record);
    if (record.clientMessageId) account.byClientId.set(record.clientMessageId, record);
    this.notificationOwners.set(record.id, account);
  }

  findNotification(id: string): { account: NotifyAccount; record: NotificationRecord } | undefined {
    const account = this.notificationOwners.get(id);
    const record = account?.notifications.get(id);
    return account && record ? { account, record } : undefined;
  }
}
