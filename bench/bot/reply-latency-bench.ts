import { setTimeout as sleep } from 'node:timers/promises';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { VirtualUser } from '../../src/sandbox/virtual-users';
import { processCpuMs } from '../inbox/process-cpu';
import { quantile } from '../notify/offered-load';
import type { PlatformTraffic } from '../notify/platform-traffic';
import type { ReplyWatch } from './reply-watch';
import { chatIdOf, type SandboxBot, writeToBot } from './sandbox-telegram';

/** A bot under load: Vestnik with the shop FAQ, or the raw echo bot (the ceiling). */
export interface ReplyTarget {
  name: string;
  bot: SandboxBot;
  /** The bot's process, and the helpers it uses (Vestnik's embedded FerretDB), for CPU readings. */
  pids: { server: number; helpers: readonly number[] };
}

/** Quantiles of one latency, ms. */
export interface LatencyQuantiles {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One target's run: customer message (webhook update sent) → the bot's messages in that chat. */
export interface ReplyLatencyFigures {
  target: string;
  offered: number;
  /** Offered per second as it really went out. */
  achievedRate: number;
  replied: number;
  /** No reply when the drain ended: counted in the quantiles at the drain's end (a lower bound). */
  missing: number;
  /** Bot messages in the measured chats (a first turn may be a greeting and the answer). */
  messages: number;
  /** Refusals (429) of the Bot API to this bot during the run. */
  rateLimited: number;
  /** To the bot's first message in the chat. */
  first: LatencyQuantiles;
  /** To its last message of the turn: the whole answer. */
  complete: LatencyQuantiles;
  /** Whether p99 includes lower bounds (missing replies). */
  p99IsLowerBound: boolean;
  /** CPU time of the bot's process over the run and its drain, per customer message (ms; null: unreadable). */
  cpuMsPerMessage: number | null;
  /** The same with its helper processes. */
  cpuMsPerMessageWithHelpers: number | null;
}

export interface ReplyLoad {
  rate: number;
  users: readonly VirtualUser[];
  texts: readonly string[];
  drainSeconds: number;
}

/** A turn's messages are complete once its chats have been quiet this long. */
const quietMs = 1000;

/**
 * Open loop: user i writes texts[i] to the bot when due (`i / rate` s after the start), whether
 * or not the earlier ones were answered; each user writes once, so Telegram's per-chat limit
 * (1 message/s) cannot bind. The clock starts just before the simulator posts the update
 * (nothing asynchronous happens in between) and stops when the simulator's Bot API accepted the
 * bot's `sendMessage` to that chat (`ReplyWatch`), both `performance.now()` in this process:
 * the first message, and the last one once every chat answered and stayed quiet for a second.
 */
export async function measureReplies(
  sandbox: Sandbox,
  target: ReplyTarget,
  load: ReplyLoad,
  watch: ReplyWatch,
  traffic: PlatformTraffic,
  note: (line: string) => void,
): Promise<ReplyLatencyFigures> {
  const started = performance.now();
  const cpuBefore = await cpuOf(target);
  const { sentAt, offeredFor } = await offerMessages(sandbox, target, load, note);
  const chats = () => load.users.map((user) => watch.repliesIn(target.bot.token, chatIdOf(user)));
  const drainEnd = await drain(chats, performance.now() + load.drainSeconds * 1000);
  const figures = summarize(target, sentAt, chats(), drainEnd, offeredFor);
  const cpuAfter = await cpuOf(target);
  const perMessage = (index: number) => {
    const spent = cpuUsed(cpuBefore.slice(0, index), cpuAfter.slice(0, index));
    return spent === null ? null : spent / load.users.length;
  };
  figures.cpuMsPerMessage = perMessage(1);
  figures.cpuMsPerMessageWithHelpers = perMessage(cpuBefore.length);
  figures.rateLimited = traffic
    .between('telegram', new RegExp(`^/telegram/bot${target.bot.botId}:`), started, performance.now())
    .filter((answer) => answer.status === 429).length;
  const { first, complete } = figures;
  note(
    `  ${target.name} @ ${load.rate}/s: ${figures.replied}/${figures.offered} replied (${figures.messages} messages), ` +
      `first p50 ${first.p50Ms.toFixed(1)} / p99 ${first.p99Ms.toFixed(1)} ms, complete p50 ${complete.p50Ms.toFixed(1)} / p99 ${complete.p99Ms.toFixed(1)} / max ${complete.maxMs.toFixed(1)} ms, ${figures.missing} missing, CPU ${figures.cpuMsPerMessage?.toFixed(1) ?? 'n/a'} ms per message (${figures.cpuMsPerMessageWithHelpers?.toFixed(1) ?? 'n/a'} with helpers)`,
  );
  return figures;
}

async function offerMessages(
  sandbox: Sandbox,
  target: ReplyTarget,
  load: ReplyLoad,
  note: (line: string) => void,
): Promise<{ sentAt: Float64Array; offeredFor: number }> {
  const count = load.users.length;
  const sentAt = new Float64Array(count);
  const started = performance.now();
  const webhooks: Promise<boolean>[] = [];
  for (let i = 0; i < count; i += 1) {
    const wait = started + (i * 1000) / load.rate - performance.now();
    if (wait > 1) await sleep(wait);
    const text = load.texts[i % load.texts.length] ?? '';
    sentAt[i] = performance.now();
    webhooks.push(writeToBot(sandbox, target.bot, load.users[i] as VirtualUser, text));
  }
  const offeredFor = (performance.now() - started) / 1000 + 1 / load.rate;
  const refused = (await Promise.all(webhooks)).filter((ok) => !ok).length;
  if (refused > 0) note(`  ${target.name}: the simulator refused ${refused} user messages`);
  return { sentAt, offeredFor };
}

/** Waits until every chat has a message and none got a new one for `quietMs`, or until `deadline`. */
async function drain(chats: () => ReadonlyArray<readonly number[]>, deadline: number): Promise<number> {
  for (;;) {
    const now = performance.now();
    const seen = chats();
    const lastMessage = seen.reduce((latest, times) => Math.max(latest, times.at(-1) ?? 0), 0);
    const answered = seen.every((times) => times.length > 0);
    if ((answered && now - lastMessage >= quietMs) || now >= deadline) return now;
    await sleep(50);
  }
}

function cpuOf(target: ReplyTarget): Promise<Array<number | null>> {
  return Promise.all([target.pids.server, ...target.pids.helpers].map((pid) => processCpuMs(pid)));
}

/** CPU ms the processes used between the readings; null when one is unreadable. */
function cpuUsed(before: ReadonlyArray<number | null>, after: ReadonlyArray<number | null>): number | null {
  let total = 0;
  for (const [index, from] of before.entries()) {
    const to = after[index];
    if (from === null || from === undefined || to === null || to === undefined) return null;
    total += to - from;
  }
  return total;
}

function quantiles(latencies: readonly number[]): LatencyQuantiles {
  return {
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    maxMs: quantile(latencies, 1),
  };
}

function summarize(
  target: ReplyTarget,
  sentAt: Float64Array,
  chats: ReadonlyArray<readonly number[]>,
  drainEnd: number,
  offeredFor: number,
): ReplyLatencyFigures {
  const since = (i: number, at: number | undefined) => (at ?? drainEnd) - (sentAt[i] ?? 0);
  const missing = chats.filter((times) => times.length === 0).length;
  return {
    target: target.name,
    offered: chats.length,
    achievedRate: chats.length / offeredFor,
    replied: chats.length - missing,
    missing,
    messages: chats.reduce((sum, times) => sum + times.length, 0),
    rateLimited: 0,
    first: quantiles(chats.map((times, i) => since(i, times[0]))),
    complete: quantiles(chats.map((times, i) => since(i, times.at(-1)))),
    p99IsLowerBound: missing > chats.length * 0.01,
    cpuMsPerMessage: null,
    cpuMsPerMessageWithHelpers: null,
  };
}

/** One message from a spare user; resolves when the bot answered it, throws after `timeoutMs`. */
export async function probeReply(
  sandbox: Sandbox,
  bot: SandboxBot,
  user: VirtualUser,
  text: string,
  watch: ReplyWatch,
  timeoutMs: number,
): Promise<number> {
  const sent = performance.now();
  await writeToBot(sandbox, bot, user, text);
  const chatId = chatIdOf(user);
  while (watch.repliesIn(bot.token, chatId).length === 0) {
    if (performance.now() - sent > timeoutMs)
      throw new Error(`bench: the bot did not answer "${text}" within ${timeoutMs} ms`);
    await sleep(20);
  }
  return (watch.repliesIn(bot.token, chatId)[0] ?? sent) - sent;
}
