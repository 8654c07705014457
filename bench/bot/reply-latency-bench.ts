import { setTimeout as sleep } from 'node:timers/promises';
import type { Sandbox } from '../../src/sandbox/sandbox-server';
import type { VirtualUser } from '../../src/sandbox/virtual-users';
import { quantile } from '../notify/offered-load';
import type { PlatformTraffic } from '../notify/platform-traffic';
import type { ReplyWatch } from './reply-watch';
import { chatIdOf, type SandboxBot, writeToBot } from './sandbox-telegram';

/** A bot under load: Vestnik with the shop FAQ, or the raw echo bot (the ceiling). */
export interface ReplyTarget {
  name: string;
  bot: SandboxBot;
}

/** One target's run: customer message (webhook update sent) → the bot's first reply in that chat. */
export interface ReplyLatencyFigures {
  target: string;
  offered: number;
  /** Offered per second as it really went out. */
  achievedRate: number;
  replied: number;
  /** No reply when the drain ended: counted in the quantiles at the drain's end (a lower bound). */
  missing: number;
  /** Bot messages beyond the first reply in the measured chats (a reply in several messages). */
  extraMessages: number;
  /** Refusals (429) of the Bot API to this bot during the run. */
  rateLimited: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  p99IsLowerBound: boolean;
}

export interface ReplyLoad {
  rate: number;
  users: readonly VirtualUser[];
  texts: readonly string[];
  drainSeconds: number;
}

/**
 * Open loop: user i writes texts[i] to the bot when due (`i / rate` s after the start), whether
 * or not the earlier ones were answered; each user writes once, so Telegram's per-chat limit
 * (1 message/s) cannot bind. The clock starts just before the simulator posts the update
 * (nothing asynchronous happens in between) and stops when the simulator's Bot API accepted the
 * bot's first `sendMessage` to that chat (`ReplyWatch`), both `performance.now()` in this process.
 */
export async function measureReplies(
  sandbox: Sandbox,
  target: ReplyTarget,
  load: ReplyLoad,
  watch: ReplyWatch,
  traffic: PlatformTraffic,
  note: (line: string) => void,
): Promise<ReplyLatencyFigures> {
  const count = load.users.length;
  const sentAt = new Float64Array(count);
  const started = performance.now();
  const webhooks: Promise<boolean>[] = [];
  for (let i = 0; i < count; i += 1) {
    const wait = started + (i * 1000) / load.rate - performance.now();
    if (wait > 1) await sleep(wait);
    sentAt[i] = performance.now();
    webhooks.push(
      writeToBot(sandbox, target.bot, load.users[i] as VirtualUser, load.texts[i % load.texts.length] ?? ''),
    );
  }
  const offeredFor = (performance.now() - started) / 1000 + 1 / load.rate;
  const refused = (await Promise.all(webhooks)).filter((ok) => !ok).length;
  if (refused > 0) note(`  ${target.name}: the simulator refused ${refused} user messages`);
  const firstReplies = () => load.users.map((user) => watch.repliesIn(target.bot.token, chatIdOf(user)));
  const drainUntil = performance.now() + load.drainSeconds * 1000;
  while (firstReplies().some((replies) => replies.length === 0) && performance.now() < drainUntil)
    await sleep(50);
  const figures = summarize(target, sentAt, firstReplies(), performance.now(), offeredFor);
  figures.rateLimited = traffic
    .between('telegram', new RegExp(`^/telegram/bot${target.bot.botId}:`), started, performance.now())
    .filter((answer) => answer.status === 429).length;
  note(
    `  ${target.name} @ ${load.rate}/s: ${figures.replied}/${count} replied, p50 ${figures.p50Ms.toFixed(1)} / p99 ${figures.p99Ms.toFixed(1)} / max ${figures.maxMs.toFixed(1)} ms, ${figures.missing} missing`,
  );
  return figures;
}

function summarize(
  target: ReplyTarget,
  sentAt: Float64Array,
  replies: ReadonlyArray<readonly number[]>,
  drainEnd: number,
  offeredFor: number,
): ReplyLatencyFigures {
  const latencies = replies.map((times, i) => (times[0] ?? drainEnd) - (sentAt[i] ?? 0));
  const missing = replies.filter((times) => times.length === 0).length;
  return {
    target: target.name,
    offered: replies.length,
    achievedRate: replies.length / offeredFor,
    replied: replies.length - missing,
    missing,
    extraMessages: replies.reduce((sum, times) => sum + Math.max(0, times.length - 1), 0),
    rateLimited: 0,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    maxMs: quantile(latencies, 1),
    p99IsLowerBound: missing > replies.length * 0.01,
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
