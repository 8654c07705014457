import { createHmac } from 'node:crypto';
import { trusted } from 'mongoose';
import type { VirtualUser } from '../../src/sandbox/virtual-users';
import { eventually } from '../contract/helpers/sandbox-control';
import { approvedTemplate, getNotification, type NotificationFixture } from './notification-fixture';

export { platformApproved, sandboxPerson } from './notification-fixture';

/**
 * Steps shared by the notification path tests (statuses per channel, callbacks, crashes) on top of
 * `notification-fixture`: sandbox people with chosen accounts, platform template approvals, a
 * notification-gateway channel whose callback secret the test knows, and signed gateway callbacks.
 */

export type NotificationView = Awaited<ReturnType<typeof getNotification>>;

/**
 * The approved `order_shipped` template on every channel type (WhatsApp refuses a body that ends
 * with a variable, so it does not), approved by the platforms that moderate templates too.
 */
export function orderShippedTemplate(fixture: NotificationFixture): Promise<string> {
  return approvedTemplate(fixture, {
    name: 'order_shipped',
    body: 'Заказ №#order# передан в доставку. Трек: #track#, статус — в приложении.',
    channels: ['sms', 'telegram', 'vk', 'viber', 'ok', 'email', 'whatsapp', 'vk-notify', 'ok-notify'],
  });
}

/** Unique E.164 numbers for one test file: `+7916<block><4 digits>`, numbered from 1. */
export function phoneSequence(block: string): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `+7916${block}${String(next).padStart(4, '0')}`;
  };
}

/**
 * OK sends only into a dialog the user opened (`chat:<id>`): the user writes to the fixture's OK
 * group, and the dialog id from that inbound event becomes the contact's OK identity.
 */
export async function openOkDialog(
  fixture: NotificationFixture,
  user: VirtualUser,
  contactId: string,
): Promise<string> {
  const channelId = fixture.channels.ok;
  const text = `Здравствуйте, это ${user.phone}`;
  await fixture.sandbox.control.userMessage(user.id, { platform: 'ok', text });
  const chatId = await eventually(async () => {
    const stored = await fixture.stack.models.ChannelEvent.findOne({
      channelId,
      'event.type': 'inbound-message',
      'event.text': text,
    })
      .lean()
      .exec();
    const event = stored?.event as { conversationId?: string } | undefined;
    return event?.conversationId;
  }, `the OK dialog of ${user.id}`);
  await fixture.stack.models.Contact.updateOne(
    { _id: contactId },
    {
      $set: {
        identities: [
          ...(
            (await fixture.stack.models.Contact.findById(contactId).lean().exec())?.identities ?? []
          ).filter((identity) => identity.channelType !== 'ok'),
          { channelId, channelType: 'ok', externalUserId: chatId },
        ],
      },
    },
  ).exec();
  return chatId;
}

/** A VK-notification channel on its own gateway account, so the test can sign callbacks for it. */
export interface GatewayChannel {
  id: string;
  callbackSecret: string;
  webhookUrl: string;
}

export async function gatewayChannel(fixture: NotificationFixture, name: string): Promise<GatewayChannel> {
  const account = await fixture.sandbox.control.createAccount<Record<string, string>>('notify', { name });
  const { apiKey, callbackSecret, apiBaseUrl } = account;
  if (!apiKey || !callbackSecret || !apiBaseUrl) throw new Error('the sandbox made no gateway account');
  const channel = await fixture.stack.channels.service.create(fixture.workspaceId, {
    type: 'vk-notify',
    name,
    config: { apiKey, callbackSecret, apiBaseUrl },
  });
  const id = String(channel._id);
  return { id, callbackSecret, webhookUrl: `${fixture.stack.env.PUBLIC_URL}/webhooks/${id}` };
}

/**
 * POSTs a gateway status callback for our message `externalId`, signed like the gateway signs
 * (`X-Signature`: hex HMAC-SHA256 of the body under the callback secret). Returns the HTTP status.
 */
export async function gatewayCallback(
  channel: GatewayChannel,
  externalId: string,
  status: string,
  extra: { reason?: string; at?: Date } = {},
): Promise<number> {
  const body = JSON.stringify({
    id: externalId,
    status,
    route: 'vk',
    ...(extra.reason ? { reason: extra.reason } : {}),
    timestamp: (extra.at ?? new Date()).toISOString(),
  });
  const signature = createHmac('sha256', channel.callbackSecret).update(body, 'utf8').digest('hex');
  const res = await fetch(channel.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** The attempt of `step` once it has a platform message id (the send's answer was recorded). */
export async function sentAttempt(fixture: NotificationFixture, id: string, step = 0) {
  return eventually(
    async () => {
      const view = await getNotification(fixture, id);
      const attempt = view.attempts.find((entry) => entry.step === step);
      return attempt?.externalMessageId
        ? { view, attempt, externalId: attempt.externalMessageId }
        : undefined;
    },
    `attempt ${step} of ${id} to be sent`,
    10_000,
  );
}

/** Waits until step `step` tried a send at least once (e.g. the platform answered 5xx and a retry waits). */
export async function firstSendTry(fixture: NotificationFixture, id: string, step: number): Promise<void> {
  await eventually(
    async () =>
      (await fixture.stack.models.NotificationAttempt.exists({
        notificationId: id,
        step,
        sendTries: trusted({ $gte: 1 }),
      }))
        ? true
        : undefined,
    `a first send try of step ${step} of ${id}`,
  );
}

/** Waits until every channel event the stack stored has been processed (callbacks applied). */
export async function eventsSettled(fixture: NotificationFixture): Promise<void> {
  await eventually(
    async () =>
      (await fixture.stack.models.ChannelEvent.countDocuments({ state: 'received' }).exec()) === 0
        ? true
        : undefined,
    'every channel event processed',
    15_000,
  );
}

export const statusesOf = (view: NotificationView) =>
  view.attempts.map((attempt) => [attempt.channel.type, attempt.status, attempt.reason]);

export const timelineOf = (view: NotificationView, step = 0) =>
  view.attempts.find((attempt) => attempt.step === step)?.timeline.map((entry) => entry.status);

/** How often each value occurs (for failure messages that say where a batch is). */
export function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
