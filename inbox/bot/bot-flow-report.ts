import { trusted } from 'mongoose';
import type { FlowEntryInfo, TurnOutcome } from '../../bot-flows/engine';
import { normalizeText } from '../../bot-flows/matching';
import type { Models } from '../../src/storage/models';
import type { WorkspaceId } from '../../src/storage/tenant-repository';

/** The newest turns of a window the report reads (older ones in a busier window are left out). */
export const reportTurnCap = 20_000;
/** How many unanswered questions the report lists (the most asked). */
export const unansweredLimit = 100;

export interface UnansweredQuestion {
  normalized: string;
  /** The latest text as a customer wrote it. */
  example: string;
  count: number;
  lastAt: Date;
  /** The conversation it was last asked in. */
  conversationId: string;
}

export interface BotReportTotals {
  turns: number;
  answered: number;
  missed: number;
  handoffs: number;
  errors: number;
}

export interface BotFlowReport {
  unanswered: UnansweredQuestion[];
  neverMatched: { entryId: string; title: string }[];
  totals: BotReportTotals;
}

interface ReportTurn {
  outcome: TurnOutcome;
  entryId: string | null;
  normalized: string;
  text: string;
  at: Date;
  conversationId: unknown;
}

const totalOf: Record<TurnOutcome, keyof BotReportTotals> = {
  answered: 'answered',
  missed: 'missed',
  handoff: 'handoffs',
  error: 'errors',
};

/**
 * What a question not understood is grouped under: a missed turn's normalized text; a hand-off
 * only when a FAQ step ran and matched nothing (after N misses), not a hand-off word or button.
 */
function questionKey(turn: ReportTurn): string | null {
  if (turn.entryId !== null) return null;
  if (turn.outcome === 'missed') return turn.normalized || normalizeText(turn.text) || null;
  if (turn.outcome === 'handoff') return turn.normalized || null;
  return null;
}

function unansweredOf(turns: readonly ReportTurn[]): UnansweredQuestion[] {
  const byKey = new Map<string, UnansweredQuestion>();
  for (const turn of turns) {
    const key = questionKey(turn);
    if (key === null) continue;
    const seen = byKey.get(key);
    if (seen) seen.count += 1;
    else {
      const conversationId = String(turn.conversationId);
      byKey.set(key, { normalized: key, example: turn.text, count: 1, lastAt: turn.at, conversationId });
    }
  }
  return [...byKey.values()]
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime())
    .slice(0, unansweredLimit);
}

/**
 * The report of one flow over [from, to): turns by outcome, the questions it did not understand
 * (most asked first) and the FAQ `entries` (of the active version) no turn matched.
 */
export async function buildBotFlowReport(
  models: Models,
  workspaceId: WorkspaceId,
  flowName: string,
  window: { from: Date; to: Date; entries: readonly FlowEntryInfo[] },
): Promise<BotFlowReport> {
  const turns = (await models.BotTurn.find({
    workspaceId,
    flowName,
    at: trusted({ $gte: window.from, $lt: window.to }),
  })
    .sort({ at: -1 })
    .limit(reportTurnCap)
    .select({ outcome: 1, entryId: 1, normalized: 1, text: 1, at: 1, conversationId: 1 })
    .lean()
    .exec()) as ReportTurn[];
  const totals: BotReportTotals = { turns: turns.length, answered: 0, missed: 0, handoffs: 0, errors: 0 };
  for (const turn of turns) totals[totalOf[turn.outcome]] += 1;
  const matched = new Set(turns.map((turn) => turn.entryId));
  const neverMatched = window.entries
    .filter((entry) => !matched.has(entry.id))
    .map((entry) => ({ entryId: entry.id, title: entry.title }));
  return { unanswered: unansweredOf(turns), neverMatched, totals };
}
