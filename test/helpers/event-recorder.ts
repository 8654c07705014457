import type { BusinessEvents, BusinessEventType } from '../../src/webhooks-out/business-events';

export interface RecordedEvent {
  workspaceId: string;
  type: BusinessEventType;
  data: Readonly<Record<string, unknown>>;
  eventId?: string;
}

/**
 * Our own `BusinessEvents` seam, recording what modules publish (no webhook delivery): for tests
 * of a module's events without the outbound-webhooks layer.
 */
export function recordEvents(): BusinessEvents & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    async publish(workspaceId, type, data, options) {
      events.push({ workspaceId, type, data, ...(options?.eventId ? { eventId: options.eventId } : {}) });
    },
  };
}
