import { z } from 'zod';
import { simulatorNames } from './simulators';

/**
 * Injected faults. API faults hit the platform API (requests from Vestnik); callback faults hit the
 * webhooks the sandbox sends. `count` limits how many requests a fault affects (default: all until
 * cleared).
 */
export const faultInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(1).max(120_000) }),
  z.object({ kind: z.literal('server-error'), status: z.number().int().min(500).max(599).default(503) }),
  /** The platform accepts the connection and never answers. */
  z.object({ kind: z.literal('timeout') }),
  /** The platform's real rate-limit answer, with its retry delay where it has one. */
  z.object({
    kind: z.literal('rate-limit'),
    retryAfterSeconds: z.number().int().min(1).max(3600).default(3),
  }),
  /** Status callbacks and user messages are not delivered to the business. */
  z.object({ kind: z.literal('drop-callbacks') }),
  /** Every callback is delivered `times` times at once (platform retries racing each other). */
  z.object({ kind: z.literal('duplicate-callbacks'), times: z.number().int().min(2).max(20).default(5) }),
]);

export const faultRequest = z
  .object({ platform: z.enum(simulatorNames), count: z.number().int().min(1).max(1_000_000).optional() })
  .and(faultInput);
export type FaultRequest = z.output<typeof faultRequest>;
export type Fault = z.output<typeof faultInput>;
export type FaultKind = Fault['kind'];

interface ActiveFault {
  fault: Fault;
  remaining: number;
}

const apiFaultKinds: readonly FaultKind[] = ['latency', 'server-error', 'timeout', 'rate-limit'];

export class FaultRegistry {
  private readonly faults = new Map<string, ActiveFault[]>();

  add(request: FaultRequest): void {
    const { platform, count, ...fault } = request;
    const list = this.faults.get(platform) ?? [];
    list.push({ fault: fault as Fault, remaining: count ?? Number.POSITIVE_INFINITY });
    this.faults.set(platform, list);
  }

  clear(platform?: string): void {
    if (platform) this.faults.delete(platform);
    else this.faults.clear();
  }

  /** Takes (and counts down) the API faults that apply to one request. */
  takeApiFaults(platform: string): Fault[] {
    return this.take(platform, (kind) => apiFaultKinds.includes(kind));
  }

  /** Takes the callback fault (drop / duplicate) that applies to one callback, if any. */
  takeCallbackFault(platform: string): Fault | undefined {
    return this.take(platform, (kind) => !apiFaultKinds.includes(kind))[0];
  }

  list(): Array<{ platform: string; fault: Fault; remaining: number | null }> {
    return [...this.faults.entries()].flatMap(([platform, list]) =>
      list.map((entry) => ({
        platform,
        fault: entry.fault,
        remaining: Number.isFinite(entry.remaining) ? entry.remaining : null,
      })),
    );
  }

  private take(platform: string, matches: (kind: FaultKind) => boolean): Fault[] {
    const list = this.faults.get(platform) ?? [];
    const taken: Fault[] = [];
    for (const entry of list) {
      if (!matches(entry.fault.kind) || entry.remaining <= 0) continue;
      entry.remaining -= 1;
      taken.push(entry.fault);
    }
    this.faults.set(
      platform,
      list.filter((entry) => entry.remaining > 0),
    );
    return taken;
  }
}
