import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { DeliveryStack } from './delivery-stack';
import type { NotifyOptions } from './notify-options';
import { benchParams, benchTemplate, phoneUsers } from './notify-workspace';
import type { PlatformTraffic } from './platform-traffic';
import { readRss, sampleRss } from './rss-sampler';

/** (c) A large batch to a notification-gateway channel, and the send rate that follows. */
export interface BatchResults {
  total: number;
  accepted: number;
  batches: number;
  /** Batches POSTed (fewer than `batches` when the 15-minute budget ran out). */
  sentBatches: number;
  /** Batches answered with anything but 202 (not retried), and the first one's cause. */
  failedBatches: number;
  firstFailure: string | null;
  /** Wall time from the first batch POST to the last 202. */
  acceptWallSeconds: number;
  /** Largest VmRSS of the Vestnik process sampled every 100 ms from the first batch to the end of the window. */
  peakRssMb: number;
  rssBeforeMb: number;
  /** VmHWM of the Vestnik process at the end (its peak since start, the (b) run included). */
  hwmMb: number | null;
  limitPerSecond: number;
  windowSeconds: number;
  /** Gateway `200` answers to `POST /v1/notify` within the window (after the accept). */
  sentInWindow: number;
  achievedPerSecond: number;
  /** Slowest and fastest whole second of the window. */
  minSecond: number;
  maxSecond: number;
  /** Sent while the batches were being accepted (the worker runs meanwhile). */
  sentDuringAccept: number;
  /** Gateway 429 answers from the first batch to the end of the window. */
  rateLimitErrors: number;
  /** Most notifications one phone got (the gateway's limit: 5 per user per group per 24 h). */
  maxPerRecipient: number;
  recipients: number;
}

const batchSize = 1000;
/** No batch is sent after this long: a server that cannot keep up would keep the bench for hours. */
const acceptBudgetMs = 15 * 60_000;

function item(channelId: string, phone: string) {
  return {
    to: { phone },
    template: { name: benchTemplate.name, params: benchParams },
    route: [{ channel: channelId, ttl: '24h' }],
  };
}

/** What accepting the batches gave: items accepted, and the batches the API refused (with why). */
interface AcceptOutcome {
  accepted: number;
  /** Batches POSTed before the budget ran out. */
  sentBatches: number;
  failedBatches: number;
  firstFailure: string | null;
}

/** POSTs `total` notifications in batches of 1000, `connections` at a time; a refused batch is counted, not retried. */
async function acceptAll(
  stack: DeliveryStack,
  phones: string[],
  total: number,
  connections: number,
): Promise<AcceptOutcome> {
  const outcome: AcceptOutcome = { accepted: 0, failedBatches: 0, firstFailure: null, sentBatches: 0 };
  const deadline = performance.now() + acceptBudgetMs;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const first = next;
      if (first >= total || performance.now() > deadline) return;
      outcome.sentBatches += 1;
      next += batchSize;
      const items = Array.from({ length: Math.min(batchSize, total - first) }, (_, i) =>
        item(stack.notifyChannelId, phones[(first + i) % phones.length] as string),
      );
      try {
        const answer = await stack.api.call<{ accepted: number }>(
          'POST',
          '/notifications/batch',
          { items },
          202,
        );
        outcome.accepted += answer.accepted;
      } catch (error) {
        outcome.failedBatches += 1;
        outcome.firstFailure ??= await explainFailure(stack, error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return outcome;
}

/** The API's answer, with the cause Vestnik logged for its request id (its log is in its working folder). */
async function explainFailure(stack: DeliveryStack, error: unknown): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  const requestId = /"requestId":"([^"]+)"/.exec(message)?.[1];
  if (!requestId) return message.slice(0, 300);
  const log = await readFile(`/proc/${stack.vestnik.pid}/cwd/vestnik.log`, 'utf8').catch(() => '');
  const line = log.split('\n').find((entry) => entry.includes(requestId) && entry.includes('"err"'));
  const logged = line ? (JSON.parse(line) as { err?: { message?: string } }).err?.message : undefined;
  return `${message.slice(0, 160)}… logged: ${logged ?? 'not found in the log'}`.slice(0, 600);
}

function perSecond(times: readonly number[], from: number, seconds: number): number[] {
  const counts = new Array<number>(seconds).fill(0);
  for (const at of times) {
    const slot = Math.floor((at - from) / 1000);
    if (slot >= 0 && slot < seconds) counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

export async function benchBatch(
  options: NotifyOptions,
  stack: DeliveryStack,
  sandbox: Sandbox,
  traffic: PlatformTraffic,
  note: (line: string) => void,
): Promise<BatchResults> {
  // Enough people that the gateway's 5-per-user-per-day rule never refuses one of the 100 000.
  const recipients = Math.ceil(options.total / 5);
  const phones = phoneUsers(sandbox, '926', recipients);
  const rssBefore = (await readRss(stack.vestnik.pid))?.rssMb ?? Number.NaN;
  const rss = sampleRss(stack.vestnik.pid);
  traffic.clear();
  const started = performance.now();
  const outcome = await acceptAll(stack, phones, options.total, options.batchConnections);
  const accepted = outcome.accepted;
  const acceptedAt = performance.now();
  if (outcome.firstFailure)
    note(`batch: ${outcome.failedBatches} batches refused; first: ${outcome.firstFailure}`);
  note(
    `batch: ${accepted} accepted in ${((acceptedAt - started) / 1000).toFixed(1)} s; measuring ${options.window} s of sending`,
  );
  await sleep(options.window * 1000);
  const windowEnd = performance.now();
  const memory = await rss.stop();
  const sends = traffic.between('notify', /^\/notify\/v1\/notify$/, started, windowEnd);
  const ok = sends.filter((a) => a.status === 200).map((a) => a.at);
  const inWindow = perSecond(ok, acceptedAt, options.window);
  const sentInWindow = inWindow.reduce((a, b) => a + b, 0);
  const perUser = sandbox.context.users
    .all()
    .map((user) => user.received.filter((m) => m.via === 'notify').length);
  return {
    total: options.total,
    accepted,
    batches: Math.ceil(options.total / batchSize),
    sentBatches: outcome.sentBatches,
    failedBatches: outcome.failedBatches,
    firstFailure: outcome.firstFailure,
    acceptWallSeconds: (acceptedAt - started) / 1000,
    peakRssMb: memory.peakMb,
    rssBeforeMb: rssBefore,
    hwmMb: memory.hwmMb,
    limitPerSecond: stack.notifyPerSecond,
    windowSeconds: options.window,
    sentInWindow,
    achievedPerSecond: sentInWindow / options.window,
    minSecond: Math.min(...inWindow),
    maxSecond: Math.max(...inWindow),
    sentDuringAccept: ok.filter((at) => at < acceptedAt).length,
    rateLimitErrors: sends.filter((a) => a.status === 429).length,
    maxPerRecipient: Math.max(0, ...perUser),
    recipients,
  };
}
