import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { DeliveryStack } from './delivery-stack';
import type { NotifyOptions } from './notify-options';
import { benchParams, benchTemplate, phoneUsers } from './notify-workspace';
import { offerLoad, quantile } from './offered-load';
import { waitUntilSettled } from './stored-notifications';

/** (b) Accept → delivered at a fixed offered load, from the times Vestnik stored. */
export interface LatencyResults {
  channel: 'sms';
  offeredPerSecond: number;
  seconds: number;
  sent: number;
  accepted: number;
  delivered: number;
  /** Not final when the wait ended: counted in the quantiles with the wait's end as a lower bound. */
  unsettled: number;
  /** How long the bench waited for delivery after the last request. */
  waitedSeconds: number;
  /** statusTimes.accepted → statusTimes.delivered, ms (unsettled: → the end of the wait, a lower bound). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Whether p99 includes lower bounds (unsettled notifications). */
  p99IsLowerBound: boolean;
  /** The API answer (202) as the client saw it. */
  acceptP99Ms: number;
  /** How fast the offered load really went out (the generator can fall behind). */
  achievedOfferedPerSecond: number;
}

const recipients = 1000;

/**
 * SMS through the sandbox SMSC (zero latency): delivered when the SMSC's delivery receipt comes
 * back over SMPP — the whole path: accept, queue, step, rate gate, submit_sm, receipt, channel
 * event, status. Recipients rotate over `recipients` numbers, each a sandbox phone.
 */
export async function benchLatency(
  options: NotifyOptions,
  stack: DeliveryStack,
  sandbox: Sandbox,
  note: (line: string) => void,
): Promise<LatencyResults> {
  const phones = phoneUsers(sandbox, '916', recipients);
  const started = performance.now();
  const requests = await offerLoad({
    url: `${stack.api.base}/v1/notifications`,
    apiKey: stack.vestnik.apiKey,
    rate: options.rate,
    seconds: options.latencySeconds,
    body: (i) => ({
      to: { phone: phones[i % phones.length] },
      template: { name: benchTemplate.name, params: benchParams },
      route: [{ channel: stack.smsChannelId, ttl: '1h' }],
    }),
  });
  // From the first request out to the last one out, plus one interval: the rate really offered.
  const offeredFor = ((requests.at(-1)?.sentAt ?? started) - started) / 1000 + 1 / options.rate;
  const ids = requests.flatMap((r) => (r.status === 202 && r.id ? [r.id] : []));
  note(
    `latency: offered ${requests.length} in ${offeredFor.toFixed(1)} s, ${ids.length} accepted; waiting for delivery`,
  );
  const { views, waitedMs } = await waitUntilSettled(
    stack.vestnik.mongoUri,
    ids,
    options.latencySeconds * 3000,
  );
  const waitEnd = Date.now();
  const latencies: number[] = [];
  let delivered = 0;
  let unsettled = 0;
  for (const id of ids) {
    const view = views.get(id);
    const times = view?.statusTimes ?? {};
    const accepted = times.accepted ? new Date(times.accepted).getTime() : Number.NaN;
    if (times.delivered) {
      delivered += 1;
      latencies.push(new Date(times.delivered).getTime() - accepted);
    } else if (!['undelivered', 'expired'].includes(view?.status ?? '')) {
      unsettled += 1;
      latencies.push(waitEnd - accepted);
    }
  }
  return {
    channel: 'sms',
    offeredPerSecond: options.rate,
    seconds: options.latencySeconds,
    sent: requests.length,
    accepted: ids.length,
    delivered,
    unsettled,
    waitedSeconds: waitedMs / 1000,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: quantile(latencies, 1),
    p99IsLowerBound: unsettled > latencies.length * 0.01,
    acceptP99Ms: quantile(
      requests.filter((r) => r.status === 202).map((r) => r.ms),
      0.99,
    ),
    achievedOfferedPerSecond: requests.length / offeredFor,
  };
}
