import type { DeliveryStatus, NormalizedEvent } from '../contract';
import { type StatusCallbackBody, statusCallbackBody } from './wire-format';

type StatusEvent = Extract<NormalizedEvent, { type: 'status-update' }>;

export type CallbackMapping =
  | { kind: 'event'; event: StatusEvent }
  /** A well-formed callback with a status we do not know: acknowledged, nothing stored. */
  | { kind: 'unsupported'; status: string }
  | { kind: 'malformed'; detail: string };

/** Gateway status → our delivery status. Anything else is explicitly unsupported. */
const statusTable: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  expired: 'expired',
};

const toEvent = (callback: StatusCallbackBody, status: DeliveryStatus): StatusEvent => ({
  type: 'status-update',
  // One event per notification and status: the gateway's retries of a callback share the key.
  eventKey: `${callback.id}:${status}`,
  externalMessageId: callback.id,
  status,
  ...(callback.reason ? { reason: callback.reason } : {}),
  occurredAt: new Date(callback.timestamp),
});

/** A verified status callback body (already parsed JSON) → a status-update event. */
export function mapStatusCallback(payload: unknown): CallbackMapping {
  const parsed = statusCallbackBody.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'malformed',
      detail: `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const status = statusTable[parsed.data.status];
  return status
    ? { kind: 'event', event: toEvent(parsed.data, status) }
    : { kind: 'unsupported', status: parsed.data.status };
}
