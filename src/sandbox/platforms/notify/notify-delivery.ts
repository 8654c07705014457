import type { SandboxContext } from '../../sandbox-platform';
import { SandboxInputError } from '../../sandbox-platform';
import type { ReceivedMessage, VirtualUser } from '../../virtual-users';
import { decideDelivery, recentToUser } from './delivery-rules';
import type { NotificationRecord, NotifyAccount, NotifyAccountStore } from './notify-accounts';
import { queueStatusCallback } from './status-callbacks';

/** How long after `sent` the user's device confirms receipt (`delivered`). */
export const deliveryReceiptDelayMs = 50;
/** How often notifications waiting for an offline user are re-checked (TTL, user back online). */
const waitingPollMs = 100;

interface Waiting {
  account: NotifyAccount;
  record: NotificationRecord;
}

/**
 * Acts out what happens after the gateway accepts a notification: the user's device gets it (or
 * not), and the business hears `sent`, then `delivered` / `read`, or `undelivered` / `expired`.
 */
export class NotifyDelivery {
  private readonly waiting = new Set<Waiting>();
  private polling = false;

  constructor(
    private readonly context: SandboxContext,
    private readonly accounts: NotifyAccountStore,
  ) {}

  /** Decides the fate of a just-accepted notification; hands it to the device at once when it can. */
  admit(account: NotifyAccount, record: NotificationRecord): void {
    const user = this.context.users.byPhone(record.phone);
    const decision = decideDelivery({
      user,
      route: record.route,
      policy: record.policy,
      nowMs: record.acceptedAtMs,
      ttlMs: record.expiresAtMs - record.acceptedAtMs,
      recentToUser: recentToUser(account, record),
    });
    if (decision.kind === 'undelivered') {
      record.state = 'undelivered';
      record.reason = decision.reason;
    } else if (decision.kind === 'deliver' && user) {
      this.handOver(account, record, user);
    }
  }

  /** Sends the callbacks for an admitted notification (called once the API has answered). */
  start(account: NotifyAccount, record: NotificationRecord): void {
    queueStatusCallback(this.context, account, record, 'sent');
    if (record.state === 'undelivered') {
      queueStatusCallback(this.context, account, record, 'undelivered');
    } else if (record.handedOver) {
      this.context.later(deliveryReceiptDelayMs, async () => this.confirmDelivery(account, record));
    } else {
      this.waiting.add({ account, record });
      this.pollWaiting();
    }
  }

  /** The user reads one notification, or all unread ones (control API `read`, automatic reads). */
  async read(user: VirtualUser, messageId: string | undefined): Promise<void> {
    const unread = user.received.filter(
      (message) =>
        message.via === 'notify' &&
        message.status === 'delivered' &&
        (messageId === undefined || message.messageId === messageId),
    );
    if (messageId !== undefined && unread.length === 0 && !this.hasReceived(user, messageId)) {
      throw new SandboxInputError(`user ${user.id} has no notification ${messageId}`, 404);
    }
    for (const message of unread) this.markRead(message);
  }

  private hasReceived(user: VirtualUser, messageId: string): boolean {
    return user.received.some((message) => message.via === 'notify' && message.messageId === messageId);
  }

  private markRead(message: ReceivedMessage): void {
    const found = this.accounts.findNotification(message.messageId);
    if (!found) return;
    this.confirmDelivery(found.account, found.record);
    if (found.record.state !== 'delivered') return;
    message.status = 'read';
    found.record.state = 'read';
    queueStatusCallback(this.context, found.account, found.record, 'read');
  }

  /** The notification reaches the user's device: it shows up in `received`. */
  private handOver(account: NotifyAccount, record: NotificationRecord, user: VirtualUser): void {
    record.handedOver = true;
    this.context.users.deliver(user, {
      platform: record.route,
      messageId: record.id,
      from: account.name,
      via: 'notify',
      text: record.text,
      // OK notifications are text only; VK shows the template's buttons.
      buttons: record.route === 'vk' ? record.buttons.map(receivedButton) : [],
      images: [],
      template: { name: record.template, params: record.params },
    });
  }

  /** The device's receipt reaches the gateway: `delivered`, then the user's automatic read. */
  private confirmDelivery(account: NotifyAccount, record: NotificationRecord): void {
    if (record.state !== 'sent' || !record.handedOver) return;
    record.state = 'delivered';
    queueStatusCallback(this.context, account, record, 'delivered');
    const user = this.context.users.byPhone(record.phone);
    if (user) this.context.scheduleRead(user, 'notify', record.id);
  }

  private pollWaiting(): void {
    if (this.polling || this.waiting.size === 0) return;
    this.polling = true;
    this.context.later(waitingPollMs, async () => {
      this.polling = false;
      for (const entry of this.waiting) this.recheck(entry);
      this.pollWaiting();
    });
  }

  /** A waiting notification is delivered when its user comes back online, or expires with its TTL. */
  private recheck(entry: Waiting): void {
    const { account, record } = entry;
    const user = this.context.users.byPhone(record.phone);
    if (user && user.lastSeenAt.getTime() >= record.acceptedAtMs) {
      this.waiting.delete(entry);
      this.handOver(account, record, user);
      this.confirmDelivery(account, record);
      return;
    }
    if (this.context.clock.nowMs() < record.expiresAtMs) return;
    this.waiting.delete(entry);
    record.state = 'expired';
    record.reason = 'ttl_expired';
    queueStatusCallback(this.context, account, record, 'expired');
  }
}

function receivedButton(button: NotificationRecord['buttons'][number]): ReceivedMessage['buttons'][number] {
  return button.type === 'link'
    ? { kind: 'link', label: button.label, url: button.url }
    : { kind: 'reply', label: button.label, ...(button.payload ? { payload: button.payload } : {}) };
}
