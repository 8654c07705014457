import { performance } from 'node:perf_hooks';
import type { Types } from 'mongoose';
import type { SecretBox } from '../channels/secret-box';
import type { Logger } from '../logging/logger';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import { type AttemptDecision, decideAttempt, RESPONSE_READ_BYTES } from './attempt-outcome';
import type { CallbackSecrets } from './callback-secret';
import { endpointSecretContext } from './endpoint-service';
import type { RetrySchedule } from './retry-schedule';
import { safeDelivery } from './safe-delivery';
import { signDelivery } from './sign-delivery';
import type { LookupAll } from './ssrf-guard';
import type { WebhookDeliveryDoc } from './webhook-models';

export interface AttemptDeps {
  models: Models;
  box: SecretBox;
  callbackSecrets: CallbackSecrets;
  allowPrivate: boolean;
  schedule: RetrySchedule;
  logger: Logger;
  lookup?: LookupAll;
  timeoutMs?: number;
}

type StoredDelivery = WebhookDeliveryDoc & { _id: Types.ObjectId };
type Destination = { url: string; secret: string } | { unusable: string };

/** What the job does next: nothing (settled, or not this job's turn) or wait until `retryAt`. */
export type AttemptResult = { retryAt: Date | null };

/**
 * Makes the next attempt of a delivery: reloads it, its event and its destination, signs the
 * event's stored body with a fresh timestamp (the `webhook-id` is the event id, the same on every
 * attempt), POSTs it through `safeDelivery` and records the attempt and the delivery's new state.
 * A delivery that is settled, or whose next attempt is not due yet, is left alone.
 */
export async function attemptDelivery(deps: AttemptDeps, deliveryId: string): Promise<AttemptResult> {
  const delivery = (await deps.models.WebhookDelivery.findById(deliveryId)
    .lean()
    .exec()) as StoredDelivery | null;
  if (delivery?.state !== 'pending') return { retryAt: null };
  const dueAt = delivery.nextAttemptAt;
  if (dueAt && dueAt.getTime() > Date.now() + 1000) return { retryAt: dueAt };
  const destination = await destinationOf(deps, delivery);
  if ('unusable' in destination) {
    await settleUnattempted(deps, delivery, destination.unusable);
    return { retryAt: null };
  }
  const event = await deps.models.WebhookEvent.findOne({
    workspaceId: delivery.workspaceId,
    eventId: delivery.eventId,
  })
    .lean()
    .exec();
  if (!event) {
    await settleUnattempted(deps, delivery, 'the event is no longer stored');
    return { retryAt: null };
  }
  const attempt = delivery.attemptCount + 1;
  const at = new Date();
  const signed = signDelivery({
    secret: destination.secret,
    messageId: delivery.eventId,
    timestamp: at,
    payload: JSON.parse(event.payload) as Record<string, unknown>,
  });
  const startedAt = performance.now();
  const result = await safeDelivery({
    url: destination.url,
    headers: signed.headers,
    body: signed.body,
    allowPrivate: deps.allowPrivate,
    lookup: deps.lookup,
    timeoutMs: deps.timeoutMs,
    maxResponseBytes: RESPONSE_READ_BYTES,
  });
  const durationMs = 'durationMs' in result ? result.durationMs : Math.round(performance.now() - startedAt);
  const decision = decideAttempt(result, attempt, deps.schedule, new Date());
  await record(deps, delivery, { attempt, at, durationMs, decision });
  return { retryAt: decision.nextRetryAt };
}

async function destinationOf(deps: AttemptDeps, delivery: StoredDelivery): Promise<Destination> {
  if (!delivery.endpointId) {
    const secret = await deps.callbackSecrets.reveal(trustedWorkspaceId(String(delivery.workspaceId)));
    return { url: delivery.url ?? '', secret };
  }
  const endpoint = await deps.models.WebhookEndpoint.findOne({
    _id: delivery.endpointId,
    workspaceId: delivery.workspaceId,
  })
    .lean()
    .exec();
  if (!endpoint) return { unusable: 'the endpoint was deleted' };
  if (endpoint.state !== 'active') return { unusable: 'the endpoint is disabled' };
  try {
    return {
      url: endpoint.url,
      secret: deps.box.open(endpoint.secret, endpointSecretContext(String(endpoint._id))),
    };
  } catch {
    return { unusable: 'the endpoint secret cannot be decrypted (SECRETS_KEY changed?)' };
  }
}

async function settleUnattempted(deps: AttemptDeps, delivery: StoredDelivery, reason: string): Promise<void> {
  await deps.models.WebhookDelivery.updateOne(
    { _id: delivery._id },
    { $set: { state: 'failed', nextAttemptAt: null, lastError: reason } },
  ).exec();
  deps.logger.info({ deliveryId: String(delivery._id), reason }, 'webhook delivery dropped');
}

interface FinishedAttempt {
  attempt: number;
  at: Date;
  durationMs: number;
  decision: AttemptDecision;
}

async function record(deps: AttemptDeps, delivery: StoredDelivery, finished: FinishedAttempt): Promise<void> {
  const { attempt, at, durationMs, decision } = finished;
  await deps.models.WebhookAttempt.create({
    workspaceId: delivery.workspaceId,
    deliveryId: delivery._id,
    attempt,
    at,
    durationMs,
    statusCode: decision.statusCode,
    error: decision.error,
    errorDetail: decision.errorDetail,
    responseSnippet: decision.responseSnippet,
    outcome: decision.outcome,
    nextRetryAt: decision.nextRetryAt,
  }).catch((error: unknown) => {
    // A job re-run after a crash between the POST and this line: the attempt is already recorded.
    if (!isDuplicateKey(error)) throw error;
  });
  await deps.models.WebhookDelivery.updateOne(
    { _id: delivery._id, attemptCount: attempt - 1 },
    {
      $set: {
        state: decision.deliveryState,
        attemptCount: attempt,
        nextAttemptAt: decision.nextRetryAt,
        lastStatusCode: decision.statusCode,
        lastError: decision.errorDetail,
      },
    },
  ).exec();
  if (decision.disableEndpoint) await disableEndpoint(deps, delivery);
  logAttempt(deps.logger, delivery, finished);
}

async function disableEndpoint(deps: AttemptDeps, delivery: StoredDelivery): Promise<void> {
  if (!delivery.endpointId) return;
  await deps.models.WebhookEndpoint.updateOne(
    { _id: delivery.endpointId, workspaceId: delivery.workspaceId },
    { $set: { state: 'disabled', disabledReason: 'the endpoint answered 410 Gone', disabledAt: new Date() } },
  ).exec();
}

/** Ids, numbers and the failure reason only: never the URL (it may carry tokens) or the body. */
function logAttempt(logger: Logger, delivery: StoredDelivery, finished: FinishedAttempt): void {
  const { decision } = finished;
  const fields = {
    deliveryId: String(delivery._id),
    endpointId: delivery.endpointId ? String(delivery.endpointId) : null,
    eventType: delivery.eventType,
    attempt: finished.attempt,
    statusCode: decision.statusCode,
    error: decision.error,
    reason: decision.errorDetail || undefined,
    outcome: decision.outcome,
    durationMs: finished.durationMs,
  };
  if (decision.outcome === 'succeeded') logger.debug(fields, 'webhook delivered');
  else if (decision.outcome === 'retrying') logger.info(fields, 'webhook attempt failed; will retry');
  else logger.warn(fields, 'webhook delivery failed for good');
}
