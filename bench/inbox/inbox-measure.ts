import { setTimeout as sleep } from 'node:timers/promises';
import { type OfferedCall, offerRequests, quantile } from '../notify/offered-load';
import { processCpuMs } from './process-cpu';
import type { SocketCrowd } from './socket-crowd';

/** One run: `rate` requests per second for `seconds`, each announced to every socket of `crowd`. */
export interface RunFigures {
  target: string;
  rate: number;
  sockets: number;
  offered: number;
  /** Requests answered 200 (the events that must reach every socket). */
  accepted: number;
  ackP50: number;
  ackP99: number;
  eventP50: number;
  eventP99: number;
  /** accepted × sockets − deliveries seen after the drain. */
  lost: number;
  deliveries: number;
  /** CPU of the server process over the run and the drain, per delivered socket event (µs). */
  cpuUsPerDelivery: number | null;
  /** The same including helper processes (Vestnik: its embedded FerretDB). */
  cpuUsPerDeliveryWithHelpers: number | null;
}

export async function measureRun(input: {
  target: string;
  rate: number;
  seconds: number;
  drainSeconds: number;
  crowd: SocketCrowd;
  sockets: number;
  serverPid: number;
  helperPids: number[];
  call: (index: number) => OfferedCall;
  note: (line: string) => void;
}): Promise<RunFigures> {
  const total = Math.round(input.rate * input.seconds);
  const sentAt = new Float64Array(total).fill(Number.NaN);
  const cpuBefore = await cpuOf([input.serverPid, ...input.helperPids]);
  const answers = await offerRequests({
    rate: input.rate,
    seconds: input.seconds,
    call: input.call,
    onSent: (index, at) => {
      sentAt[index] = at;
    },
  });
  const accepted = answers.filter((answer) => answer.status === 200).length;
  const expected = accepted * input.sockets;
  const drainUntil = performance.now() + input.drainSeconds * 1000;
  while (input.crowd.deliveries() < expected && performance.now() < drainUntil) await sleep(100);
  const cpuAfter = await cpuOf([input.serverPid, ...input.helperPids]);
  const deliveries = input.crowd.deliveries();
  const latencies = input.crowd.latencies(sentAt);
  const acks = answers.map((answer) => answer.ms);
  const perDelivery = (ms: number | null) =>
    ms === null || deliveries === 0 ? null : (ms * 1000) / deliveries;
  const figures: RunFigures = {
    target: input.target,
    rate: input.rate,
    sockets: input.sockets,
    offered: total,
    accepted,
    ackP50: quantile(acks, 0.5),
    ackP99: quantile(acks, 0.99),
    eventP50: quantile(latencies, 0.5),
    eventP99: quantile(latencies, 0.99),
    lost: Math.max(0, expected - deliveries),
    deliveries,
    cpuUsPerDelivery: perDelivery(diff(cpuBefore[0], cpuAfter[0])),
    cpuUsPerDeliveryWithHelpers: perDelivery(sumDiff(cpuBefore, cpuAfter)),
  };
  input.note(
    `  ${input.target} @ ${input.rate}/s: ${accepted}/${total} accepted, ack p99 ${figures.ackP99.toFixed(1)} ms, event p50 ${figures.eventP50.toFixed(1)} / p99 ${figures.eventP99.toFixed(1)} ms, lost ${figures.lost}`,
  );
  return figures;
}

async function cpuOf(pids: number[]): Promise<Array<number | null>> {
  return Promise.all(pids.map((pid) => processCpuMs(pid)));
}

function diff(before: number | null | undefined, after: number | null | undefined): number | null {
  return before === null || before === undefined || after === null || after === undefined
    ? null
    : after - before;
}

function sumDiff(before: Array<number | null>, after: Array<number | null>): number | null {
  let total = 0;
  for (const [index, value] of before.entries()) {
    const delta = diff(value, after[index]);
    if (delta === null) return null;
    total += delta;
  }
  return total;
}
