import type { FaultRegistry } from './faults';
import type { TrafficLog } from './traffic-log';

export interface CallbackRequest {
  url: string;
  headers?: Record<string, string>;
  /** Exact bytes to send (signatures are computed over them). */
  body: string;
  method?: 'POST' | 'GET';
}

export interface CallbackAnswer {
  status: number;
  body: string;
}

/**
 * Sends webhooks from a simulator to the business, honouring callback faults: `drop-callbacks`
 * sends nothing, `duplicate-callbacks` sends the same bytes N times concurrently. Returns the first
 * answer, or `null` when dropped or unreachable.
 */
export class CallbackSender {
  constructor(
    private readonly faults: FaultRegistry,
    private readonly log: TrafficLog,
    private readonly timeoutMs: number,
  ) {}

  async send(platform: string, request: CallbackRequest): Promise<CallbackAnswer | null> {
    const fault = this.faults.takeCallbackFault(platform);
    if (fault?.kind === 'drop-callbacks') return null;
    const times = fault?.kind === 'duplicate-callbacks' ? fault.times : 1;
    const answers = await Promise.all(Array.from({ length: times }, () => this.sendOnce(platform, request)));
    return answers[0] ?? null;
  }

  private async sendOnce(platform: string, request: CallbackRequest): Promise<CallbackAnswer | null> {
    const headers = { 'content-type': 'application/json', ...(request.headers ?? {}) };
    const method = request.method ?? 'POST';
    try {
      const response = await fetch(request.url, {
        method,
        headers,
        ...(method === 'POST' ? { body: request.body } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await response.text();
      this.log.callback({
        platform,
        url: request.url,
        headers,
        body: request.body,
        status: response.status,
        response: body,
      });
      return { status: response.status, body };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.callback({
        platform,
        url: request.url,
        headers,
        body: request.body,
        status: null,
        response: reason,
      });
      return null;
    }
  }
}
