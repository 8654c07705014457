import { type BotFlow, type BotTurnInput, runTurn, type TurnOutcome } from '../../bot-flows/engine';
import { stemTokens } from '../../bot-flows/matching';
import { type LoopFigures, measureWorkloads } from './timed-loop';

/** The whole engine on one flow: one customer turn through `runTurn`, in process. */
export interface EngineResults {
  flowName: string;
  /** Where the flow came from (file, compiled how). */
  source: string;
  entries: number;
  queries: number;
  /** How the texts came out, once, before the loop ("answered 160, missed 0…"). */
  outcomes: string;
  turns: LoopFigures;
  /** `stemTokens` of the same texts. */
  ceiling: LoopFigures;
}

/** A Wednesday, 12:00 in Moscow: inside any shop's business hours. */
const turnTime = new Date('2026-11-18T09:00:00Z');

function turnInput(text: string, index: number): BotTurnInput {
  return {
    conversation: { id: `bench-conversation-${index}`, channelId: 'bench-channel', channelType: 'telegram' },
    contact: { id: `bench-contact-${index}`, name: 'Покупатель' },
    message: { kind: 'text', text, payload: null, replyTo: null },
    session: null,
    now: turnTime,
  };
}

async function outcomesOf(flow: BotFlow, texts: readonly string[]): Promise<string> {
  const counts = new Map<TurnOutcome, number>();
  for (const [index, text] of texts.entries()) {
    const { outcome } = await runTurn(flow, turnInput(text, index));
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return [...counts].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
}

/**
 * `runTurn` of a customer's first message in a new conversation (no session) over `texts`, in a
 * loop on this process's core, alternating with `stemTokens` of the same texts.
 */
export async function benchEngine(
  flow: BotFlow,
  source: string,
  texts: readonly string[],
  seconds: number,
  note: (line: string) => void,
): Promise<EngineResults> {
  const outcomes = await outcomesOf(flow, texts);
  const text = (index: number) => texts[index % texts.length] ?? '';
  note(
    `engine: ${flow.name}, ${flow.entries.length} FAQ entries (${outcomes}); ${seconds} rounds of 1 s each`,
  );
  const figures = await measureWorkloads(
    [
      {
        name: 'runTurn',
        run: async (i) => (await runTurn(flow, turnInput(text(i), i))).replies.length,
      },
      { name: 'stemTokens (shop texts)', run: (i) => stemTokens(text(i)).length },
    ],
    seconds,
    note,
  );
  return {
    flowName: flow.name,
    source,
    entries: flow.entries.length,
    queries: texts.length,
    outcomes,
    turns: figures.get('runTurn') as LoopFigures,
    ceiling: figures.get('stemTokens (shop texts)') as LoopFigures,
  };
}
