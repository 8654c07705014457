import type { SandboxContext } from '../../sandbox-platform';
import type { CallbackServer, Community } from './vk-communities';

/** VK retries an event the server did not answer with `ok`; the simulator tries this many times more. */
const maxRetries = 3;
const retryDelayMs = 1_000;

/**
 * Callback API delivery: VK's confirmation handshake and events, built like VK's
 * (`{group_id, type, event_id, v, object, secret}`), sent through `context.callbacks` so drop and
 * duplicate faults apply. An answer other than HTTP 200 `ok` is retried with `X-Retry-Counter`
 * (and the same `event_id`); a request that gets no answer at all is not retried.
 */
export class VkCallbacks {
  constructor(private readonly context: SandboxContext) {}

  /** Sends `confirmation` and enables the server only when the exact confirmation string comes back. */
  async confirm(community: Community, server: CallbackServer): Promise<void> {
    server.status = 'wait';
    const answer = await this.context.callbacks.send('vk', {
      url: server.url,
      body: JSON.stringify({ type: 'confirmation', group_id: community.groupId }),
    });
    server.status = answer?.status === 200 && answer.body === community.confirmationCode ? 'ok' : 'failed';
  }

  /** Sends one event to every confirmed server subscribed to its type. */
  async emit(community: Community, type: string, object: object): Promise<void> {
    const eventId = this.context.random.hex(40);
    const servers = community.servers.filter((server) => server.status === 'ok' && server.events.has(type));
    await Promise.all(
      servers.map((server) => {
        const body = JSON.stringify({
          group_id: community.groupId,
          type,
          event_id: eventId,
          v: server.apiVersion,
          object,
          secret: server.secretKey,
        });
        return this.deliver(server, body, 0);
      }),
    );
  }

  private async deliver(server: CallbackServer, body: string, retry: number): Promise<void> {
    const answer = await this.context.callbacks.send('vk', {
      url: server.url,
      body,
      ...(retry > 0 ? { headers: { 'X-Retry-Counter': String(retry) } } : {}),
    });
    // No answer at all is a dropped callback (fault) or an unreachable server: not retried, so
    // `drop-callbacks` really drops. A wrong answer is retried like VK does.
    if (!answer || (answer.status === 200 && answer.body === 'ok') || retry >= maxRetries) return;
    this.context.later(retryDelayMs * (retry + 1), () => this.deliver(server, body, retry + 1));
  }
}
