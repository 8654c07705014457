import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { VirtualUser } from '../../src/sandbox/virtual-users';
import type { CpuPinning } from '../cpu-pinning';
import { startBenchSandbox } from '../notify/notify-workspace';
import { PlatformTraffic } from '../notify/platform-traffic';
import type { BotBenchOptions } from './bot-options';
import type { LatencyResults } from './bot-report';
import { type RunningTarget, startEchoBot, startVestnikBot } from './bot-targets';
import { measureReplies, probeReply, type ReplyLatencyFigures, type ReplyLoad } from './reply-latency-bench';
import { ReplyWatch } from './reply-watch';
import { telegramUsers } from './sandbox-telegram';
import { shopTexts } from './shop-texts';

const probeTimeoutMs = 60_000;

/** Both bots share one sandbox; each target writes from its own users (area codes 9x1, 9x2…). */
async function loadTarget(
  sandbox: Sandbox,
  target: RunningTarget,
  index: number,
  options: BotBenchOptions,
  texts: readonly string[],
  tools: { watch: ReplyWatch; traffic: PlatformTraffic; note: (line: string) => void },
): Promise<{ figures: ReplyLatencyFigures; probeMs: number; warmup: number }> {
  const { watch, traffic, note } = tools;
  const probeUser = telegramUsers(sandbox, `98${index}`, 1)[0] as VirtualUser;
  const probeMs = await probeReply(
    sandbox,
    target.bot,
    probeUser,
    texts[0] ?? 'Здравствуйте',
    watch,
    probeTimeoutMs,
  );
  note(`${target.name}: first reply after ${probeMs.toFixed(0)} ms; warming up`);
  const warmup = Math.min(20, Math.ceil(options.messages / 10));
  const base = { rate: options.rate, texts, drainSeconds: options.drainSeconds };
  const warm: ReplyLoad = { ...base, users: telegramUsers(sandbox, `97${index}`, warmup) };
  await measureReplies(sandbox, target, warm, watch, traffic, () => {});
  const load: ReplyLoad = { ...base, users: telegramUsers(sandbox, `90${index}`, options.messages) };
  const figures = await measureReplies(sandbox, target, load, watch, traffic, note);
  return { figures, probeMs, warmup };
}

/**
 * Inbound → bot reply through the in-process sandbox: the raw echo bot (the ceiling), then
 * Vestnik with the shop FAQ, the same open-loop load each. Both run on the server CPU.
 */
export async function benchReplyLatency(
  options: BotBenchOptions,
  pinning: CpuPinning,
  flowSource: string,
  note: (line: string) => void,
): Promise<LatencyResults> {
  const sandbox = await startBenchSandbox();
  const watch = new ReplyWatch().start();
  const traffic = new PlatformTraffic().start();
  const targets: RunningTarget[] = [];
  try {
    targets.push(await startEchoBot(sandbox, pinning));
    targets.push(await startVestnikBot(options, sandbox, pinning, flowSource, note));
    const [echo, vestnik] = targets as [RunningTarget, RunningTarget];
    note(
      `latency: ${options.messages} messages per target at ${options.rate}/s; Vestnik's flow ${vestnik.setup}`,
    );
    const texts = shopTexts(flowSource, Math.max(options.messages, 100));
    const tools = { watch, traffic, note };
    const ceiling = await loadTarget(sandbox, echo, 1, options, texts, tools);
    const measured = await loadTarget(sandbox, vestnik, 2, options, texts, tools);
    return {
      vestnik: measured.figures,
      ceiling: ceiling.figures,
      flowSetup: vestnik.setup,
      probeMs: measured.probeMs,
      warmupMessages: measured.warmup,
    };
  } finally {
    for (const target of targets)
      note(`stopped: ${await target.stop().catch((error: unknown) => String(error))}`);
    watch.stop();
    traffic.stop();
    await sandbox.close();
  }
}
