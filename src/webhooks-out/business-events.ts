import type { WorkspaceId } from '../storage/tenant-repository';

/** Events a business can subscribe its webhook endpoints to. */
export const businessEventTypes = [
  'notification.status_changed',
  'message.inbound',
  'template.moderated',
  'campaign.progress',
] as const;

export type BusinessEventType = (typeof businessEventTypes)[number];

/**
 * The seam every module uses to tell the business something happened. Implementations store the
 * event durably, then deliver it to each endpoint of the workspace subscribed to `type`.
 *
 * Promised: once `publish` resolves, the event is stored and will be delivered (retried for
 * about three days) to every matching endpoint; publishing the same `eventId` twice stores and
 * delivers it once (so a retried worker may publish again safely).
 * Not promised: ordering between events, or delivery to endpoints created after the publish.
 */
export interface BusinessEvents {
  publish(
    workspaceId: WorkspaceId,
    type: BusinessEventType,
    data: Readonly<Record<string, unknown>>,
    options?: {
      /** Deterministic id (e.g. `ntf_<id>.delivered`), becomes the `webhook-id`; random when absent. */
      eventId?: string;
      /**
       * An extra one-off destination besides the endpoints (a notification's own `callbackUrl`),
       * signed with the workspace's callback secret (`GET /v1/webhook-endpoints/callback-secret`).
       * Check it where the business hands it over (`assertWebhookUrl`); a refused URL fails its
       * delivery.
       */
      callbackUrl?: string;
    },
  ): Promise<void>;
}
