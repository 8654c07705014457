import { trusted } from 'mongoose';
import type { TurnOutcome } from '../../bot-flows/engine';
import type { Models } from '../../src/storage/models';
import { botTurnTextLimits } from './bot-turn-model';

/** One customer turn as the bot runner reports it (ids as strings). */
export interface BotTurnEntry {
  workspaceId: string;
  flowName: string;
  flowVersion: number;
  conversationId: string;
  channelId: string;
  outcome: TurnOutcome;
  entryId: string | null;
  confidence: number;
  /** The text as the matcher normalized it ('' when no FAQ step ran). */
  normalized: string;
  text: string;
  at: Date;
}

/** How long turns are kept for the report. */
export const botTurnRetentionMs = 90 * 24 * 60 * 60_000;

/** The first `max` characters (code points: never half an emoji). */
const clip = (text: string, max: number) => (text.length <= max ? text : [...text].slice(0, max).join(''));

/** Keeps one turn for the report (texts clipped to their limits). */
export async function recordBotTurn(deps: { models: Models }, turn: BotTurnEntry): Promise<void> {
  await deps.models.BotTurn.create({
    ...turn,
    normalized: clip(turn.normalized, botTurnTextLimits.normalized),
    text: clip(turn.text, botTurnTextLimits.text),
  });
}

/** Deletes turns older than the retention (what a TTL index would do; FerretDB v1 has none). */
export async function purgeOldBotTurns(
  models: Models,
  now = new Date(),
  retentionMs = botTurnRetentionMs,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionMs);
  const result = await models.BotTurn.deleteMany({ at: trusted({ $lt: cutoff }) }).exec();
  return result.deletedCount;
}
