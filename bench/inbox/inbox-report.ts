import type { CpuPinning } from '../cpu-pinning';
import type { RunFigures } from './inbox-measure';
import type { InboxBenchOptions } from './inbox-options';

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const us = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} µs`);
const ratio = (value: number | null, ceiling: number | null | undefined) =>
  value === null || !ceiling ? 'n/a' : `${(value / ceiling).toFixed(2)}×`;

function verdict(ok: boolean): string {
  return ok ? 'met' : 'missed';
}

/** Targets of the issue, checked at the 200/s run. */
function targetRows(figures: readonly RunFigures[]): string[] {
  const at = (target: string) => figures.find((f) => f.rate === 200 && f.target === target);
  const vestnik = at('vestnik');
  const bare = at('bare socket.io');
  const bareRedis = at('bare socket.io + Redis adapter');
  if (!vestnik) return ['(no 200/s run: targets not checked)'];
  const cpuBare =
    vestnik.cpuUsPerDelivery !== null && bare?.cpuUsPerDelivery
      ? vestnik.cpuUsPerDelivery / bare.cpuUsPerDelivery
      : null;
  const cpuRedis =
    vestnik.cpuUsPerDelivery !== null && bareRedis?.cpuUsPerDelivery
      ? vestnik.cpuUsPerDelivery / bareRedis.cpuUsPerDelivery
      : null;
  return [
    '| Target at 200/s | Measured | Result |',
    '|---|---|---|',
    `| socket event p99 ≤ 50 ms | ${ms(vestnik.eventP99)} | ${verdict(vestnik.eventP99 <= 50)} |`,
    `| webhook acknowledgement p99 ≤ 200 ms | ${ms(vestnik.ackP99)} | ${verdict(vestnik.ackP99 <= 200)} |`,
    `| zero events lost | ${vestnik.lost} lost of ${vestnik.accepted * vestnik.sockets} | ${verdict(vestnik.lost === 0 && vestnik.accepted === vestnik.offered)} |`,
    `| CPU per delivery ≤ 2× bare socket.io | ${cpuBare === null ? 'n/a' : `${cpuBare.toFixed(2)}×`} | ${verdict(cpuBare !== null && cpuBare <= 2)} |`,
    `| CPU per delivery ≤ 3× bare socket.io with the Redis adapter | ${cpuRedis === null ? 'n/a' : `${cpuRedis.toFixed(2)}×`} | ${verdict(cpuRedis !== null && cpuRedis <= 3)} |`,
  ];
}

export function renderInboxMarkdown(input: {
  command: string;
  options: InboxBenchOptions;
  pinning: CpuPinning;
  figures: readonly RunFigures[];
  at: Date;
}): string {
  const { options, figures } = input;
  const rows = figures.map((f) => {
    const bare = figures.find((g) => g.rate === f.rate && g.target === 'bare socket.io');
    const bareRedis = figures.find((g) => g.rate === f.rate && g.target === 'bare socket.io + Redis adapter');
    return `| ${f.rate}/s | ${f.target} | ${f.accepted}/${f.offered} | ${ms(f.ackP50)} / ${ms(f.ackP99)} | ${ms(f.eventP50)} / ${ms(f.eventP99)} | ${f.lost} | ${us(f.cpuUsPerDelivery)} | ${us(f.cpuUsPerDeliveryWithHelpers)} | ${ratio(f.cpuUsPerDelivery, bare?.cpuUsPerDelivery)} | ${ratio(f.cpuUsPerDelivery, bareRedis?.cpuUsPerDelivery)} |`;
  });
  return [
    `# Inbox benchmark, ${input.at.toISOString()}`,
    '',
    `Command: \`${input.command}\``,
    '',
    `${options.sockets} connected operator sockets per server; open-loop load of each rate for ${options.seconds} s; ` +
      `${options.senders} distinct customers; drain up to ${options.drainSeconds} s. ` +
      `Servers on CPU ${input.pinning.serverCpu ?? 'any'}, load generator and socket clients on CPU ${input.pinning.loadCpus ?? 'any'}.`,
    '',
    '| Rate | Server | Accepted | Ack p50 / p99 | Socket event p50 / p99 | Lost deliveries | CPU per delivery (server process) | + helpers (FerretDB) | vs bare | vs bare + Redis |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...targetRows(figures),
    '',
    'Event latency: from the moment the request left the load generator to the moment each socket client received the event (same process clock), over every delivery (events × sockets). ' +
      'Vestnik path: signed Viber webhook → verified, stored, queued (200) → channel-event worker → inbox ingest (contact, conversation, message, events stored with their seq) → Redis adapter → every operator socket. ' +
      'Bare path: POST /emit → `io.to(room).emit` (with the adapter: through Redis). CPU: user + system time of the server process from /proc over the run and its drain, divided by deliveries; Redis is shared and not counted.',
    '',
  ].join('\n');
}
