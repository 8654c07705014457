import type { SandboxClock } from './sandbox-clock';

/** One platform API request as the simulator received it (what outbound tests assert on). */
export interface LoggedRequest {
  platform: string;
  method: string;
  /** Path below the simulator's mount, with the query string, e.g. `/bot123:abc/sendMessage`. */
  path: string;
  contentType: string | null;
  /** Parsed body: JSON, form fields, or for SMPP/SMTP the PDU / envelope. */
  body: unknown;
  at: string;
}

/** One webhook the sandbox sent to the business, with the answer it got. */
export interface LoggedCallback {
  platform: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number | null;
  response: string | null;
  at: string;
}

const maxEntries = 10_000;

export class TrafficLog {
  readonly requests: LoggedRequest[] = [];
  readonly callbacks: LoggedCallback[] = [];

  constructor(private readonly clock: SandboxClock) {}

  request(entry: Omit<LoggedRequest, 'at'>): void {
    this.push(this.requests, { ...entry, at: this.clock.now().toISOString() });
  }

  callback(entry: Omit<LoggedCallback, 'at'>): void {
    this.push(this.callbacks, { ...entry, at: this.clock.now().toISOString() });
  }

  clear(): void {
    this.requests.length = 0;
    this.callbacks.length = 0;
  }

  private push<T>(list: T[], entry: T): void {
    list.push(entry);
    if (list.length > maxEntries) list.splice(0, list.length - maxEntries);
  }
}
