import { callPlatform, type PlatformCall } from '../shared/platform-http';
import type { NotifyConfig } from './config-schema';
import type { NotifyRequestBody } from './wire-format';

/** The HTTP calls the adapter makes to the notification gateway, with its Bearer key. */
export class NotifyGatewayClient {
  private readonly baseUrl: string;

  constructor(
    private readonly config: NotifyConfig,
    private readonly timeoutMs: number,
  ) {
    this.baseUrl = config.apiBaseUrl.replace(/\/+$/, '');
  }

  notify(body: NotifyRequestBody): Promise<PlatformCall> {
    return this.call('POST', '/v1/notify', body);
  }

  submitTemplate(body: { name: string; text: string }): Promise<PlatformCall> {
    return this.call('POST', '/v1/message_template', body);
  }

  template(name: string): Promise<PlatformCall> {
    return this.call('GET', `/v1/message_template/${encodeURIComponent(name)}`);
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<PlatformCall> {
    return callPlatform({
      method,
      url: `${this.baseUrl}${path}`,
      headers: { authorization: `Bearer ${this.config.apiKey}`, accept: 'application/json' },
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.timeoutMs,
    });
  }
}
