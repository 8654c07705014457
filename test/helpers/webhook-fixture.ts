import request from 'supertest';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import type { BusinessEventType } from '../../src/webhooks-out/business-events';
import type { DeliveryPage } from '../../src/webhooks-out/delivery-view';
import { createRetrySchedule } from '../../src/webhooks-out/retry-schedule';
import type { WebhookDeliveryTuning } from '../../src/webhooks-out/webhooks-layer';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually } from '../contract/helpers/sandbox-control';
import { bearer } from './notification-fixture';
import { createTestStack, type TestStack } from './test-stack';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export interface Tenant {
  workspaceId: WorkspaceId;
  key: string;
}

export { bearer };

/** A phone number in every published test event: it may be stored, never logged or queued. */
export const testPhone = '+79161234567';

/** Steps shared by the outbound-webhook tests: workspaces, endpoints, publishing, reading the log. */
export class WebhookFixture {
  constructor(
    private readonly stack: TestStack,
    private readonly receiver: WebhookReceiver,
  ) {}

  async tenant(name: string): Promise<Tenant> {
    const created = await createWorkspace(this.stack.models, { name });
    return { workspaceId: trustedWorkspaceId(created.workspaceId), key: created.apiKey };
  }

  /** Registers `receiver.url + path`; returns the endpoint with its one-time secret. */
  async endpoint(owner: Tenant, path: string, events?: string[]) {
    const res = await request(this.stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url: `${this.receiver.url}${path}`, ...(events ? { events } : {}) })
      .expect(201);
    return res.body as { id: string; secret: string; events: string[] };
  }

  publish(owner: Tenant, type: BusinessEventType, eventId: string, extra: object = {}) {
    const data = { notificationId: eventId, phone: testPhone, ...extra };
    return this.stack.events.publish(owner.workspaceId, type, data, { eventId });
  }

  async deliveries(owner: Tenant, endpointId: string, query = ''): Promise<DeliveryPage> {
    const res = await request(this.stack.app)
      .get(`/v1/webhook-endpoints/${endpointId}/deliveries${query}`)
      .set(bearer(owner.key))
      .expect(200);
    return res.body as DeliveryPage;
  }

  /** The delivery of `eventId` once it is no longer pending. */
  settled(owner: Tenant, endpointId: string, eventId: string) {
    return eventually(
      async () =>
        (await this.deliveries(owner, endpointId)).items.find(
          (item) => item.eventId === eventId && item.state !== 'pending',
        ),
      `delivery of ${eventId} settled`,
      10_000,
    );
  }

  /** The requests at `path`, once there are at least `count`. */
  received(path: string, count: number): Promise<ReceivedRequest[]> {
    return eventually(
      () => (this.receiver.requests(path).length >= count ? this.receiver.requests(path) : undefined),
      `${count} requests at ${path}`,
      10_000,
    );
  }
}

/** A stack with its delivery worker running, a receiver on 127.0.0.1 and the fixture over both. */
export interface WebhookTestBed {
  stack: TestStack;
  receiver: WebhookReceiver;
  fx: WebhookFixture;
  close(): Promise<void>;
}

/**
 * Retries 300 ms apart instead of minutes (four attempts in all), a sweeper every 300 ms that takes
 * every due delivery, and WEBHOOKS_ALLOW_PRIVATE=true so the local receiver is reachable, unless
 * `overrides` / `tuning` say otherwise.
 */
export async function startWebhookTestBed(
  label: string,
  overrides: Record<string, string> = {},
  tuning: WebhookDeliveryTuning = {},
): Promise<WebhookTestBed> {
  const receiver = await startWebhookReceiver();
  const stack = await createTestStack(
    label,
    { WEBHOOKS_ALLOW_PRIVATE: 'true', ...overrides },
    {
      webhooks: {
        retrySchedule: createRetrySchedule({ delaysMs: [300, 300, 300], jitter: 0 }),
        sweepEveryMs: 300,
        sweepGraceMs: 0,
        schedulerRefreshMs: 300,
        ...tuning,
      },
    },
  );
  await stack.startWorkers();
  return {
    stack,
    receiver,
    fx: new WebhookFixture(stack, receiver),
    async close() {
      await stack.close();
      await receiver.close();
    },
  };
}

/** Starts a {@link WebhookTestBed} in `beforeAll` and closes it in `afterAll`; read its parts inside tests. */
export function setUpWebhookTestBed(
  label: string,
  overrides: Record<string, string> = {},
  tuning: WebhookDeliveryTuning = {},
): Readonly<Omit<WebhookTestBed, 'close'>> {
  const bed = {} as WebhookTestBed;
  beforeAll(async () => {
    Object.assign(bed, await startWebhookTestBed(label, overrides, tuning));
  });
  afterAll(() => bed.close());
  return bed;
}
