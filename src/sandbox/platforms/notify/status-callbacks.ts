import { createHmac } from 'node:crypto';
import type { SandboxContext } from '../../sandbox-platform';
import type { NotificationRecord, NotificationState, NotifyAccount } from './notify-accounts';

/** Header carrying the lower-case hex HMAC-SHA256 of the raw callback body, keyed by the callback secret. */
export const signatureHeader = 'x-signature';

/** The status callback body (see adapters/vk-notify/README.md, "Status callbacks"). */
export function callbackBody(record: NotificationRecord, status: NotificationState, atMs: number): string {
  return JSON.stringify({
    id: record.id,
    ...(record.clientMessageId ? { message_id: record.clientMessageId } : {}),
    status,
    route: record.route,
    ...(record.reason && (status === 'undelivered' || status === 'expired') ? { reason: record.reason } : {}),
    timestamp: new Date(atMs).toISOString(),
  });
}

export function signCallback(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/**
 * Queues one status callback after the notification's earlier ones, so the business sees
 * `sent` before `delivered` before `read`. Nothing is sent without a `callback_url`.
 */
export function queueStatusCallback(
  context: SandboxContext,
  account: NotifyAccount,
  record: NotificationRecord,
  status: NotificationState,
): void {
  const url = record.callbackUrl;
  if (!url) return;
  const body = callbackBody(record, status, context.clock.nowMs());
  const headers = { [signatureHeader]: signCallback(account.callbackSecret, body) };
  record.callbacks = record.callbacks
    .then(async () => {
      await context.callbacks.send('notify', { url, headers, body });
    })
    .catch((error: unknown) => context.logger.warn({ err: error }, 'notify: status callback failed'));
}
