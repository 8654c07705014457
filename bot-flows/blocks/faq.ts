import type { BotContext, BotMiddleware } from '../engine/bot-context';
import type { FlowEntryInfo } from '../engine/define-flow';
import { createMatcher, type MatchLanguage, normalizeText } from '../matching';
import { FlowBlockError } from './block-error';
import { type ButtonSpec, gotoTarget, replyWith, toBotButtons } from './buttons';

/** What a FAQ entry does when it matches: say a text, or run an action (start a collect, show a menu). */
export type FaqAnswer = string | ((ctx: BotContext) => unknown);

/** One question the bot answers. */
export interface FaqEntry {
  /** Unique in the flow; a `goto:<id>` button answers it too. */
  id: string;
  /** Example phrasings ("Сколько стоит доставка?", "How much is delivery?"). */
  questions: readonly string[];
  /** Words or phrases that point at this entry ("доставка", "курьер"). */
  keywords?: readonly string[];
  answer: FaqAnswer;
  /** Buttons under a text answer. */
  buttons?: readonly ButtonSpec[];
}

export interface FaqOptions {
  entries: readonly FaqEntry[];
  /** Minimum confidence 0..1 for a hit (the matcher's default 0.5). */
  threshold?: number;
  /** Groups of words meaning the same (`[доставка, привоз, курьер]`). */
  synonyms?: readonly (readonly string[])[];
  /** Stemmers to run (default both `ru` and `en`). */
  languages?: readonly MatchLanguage[];
  /** Typo tolerance (default on). */
  typos?: boolean;
}

/** The FAQ middleware, with its entries for `defineFlow({ entries })` and a way to answer one directly. */
export interface FaqBlock extends BotMiddleware {
  readonly entries: readonly FlowEntryInfo[];
  /** Answers an entry by id (as its `goto:` button does); false when the block has no such entry. */
  answer(ctx: BotContext, entryId: string): Promise<boolean>;
}

/**
 * Answers the customer's question from a list of entries. One matcher is built here, not per turn.
 * A text message that matches answers (and is noted for the report); one that does not is noted as
 * a miss with the best candidate's confidence and passed on with `next()`. A `goto:<entry id>`
 * button answers its entry. Other button presses are passed on untouched.
 */
export function faq(options: FaqOptions): FaqBlock {
  const byId = entriesById(options.entries);
  const matcher = createMatcher(
    options.entries.map(({ id, questions, keywords }) => ({ id, questions, keywords })),
    {
      languages: options.languages,
      synonyms: options.synonyms,
      threshold: options.threshold,
      typos: options.typos,
    },
  );
  const answer = async (ctx: BotContext, entryId: string): Promise<boolean> => {
    const entry = byId.get(entryId);
    if (!entry) return false;
    if (typeof entry.answer === 'string') replyWith(ctx, entry.answer, toBotButtons(entry.buttons));
    else await entry.answer(ctx);
    return true;
  };
  const middleware: BotMiddleware = async (ctx, next) => {
    const pressed = gotoTarget(ctx.message.payload);
    if (pressed !== null && byId.has(pressed)) {
      ctx.noteMatch({ entryId: pressed, confidence: 1, normalized: normalizeText(ctx.message.text) });
      await answer(ctx, pressed);
      return;
    }
    if (ctx.message.kind !== 'text') return next();
    const outcome = matcher.match(ctx.message.text);
    if (outcome.normalized === '') return next();
    const best = outcome.match ?? { entryId: null, confidence: outcome.candidates[0]?.confidence ?? 0 };
    ctx.noteMatch({ ...best, normalized: outcome.normalized });
    if (outcome.match) await answer(ctx, outcome.match.entryId);
    else await next();
  };
  return Object.assign(middleware, { entries: faqEntries(options.entries), answer });
}

/** The entries as the report of never-matched entries lists them (title: the first question). */
export function faqEntries(entries: readonly FaqEntry[]): FlowEntryInfo[] {
  return entries.map((entry) => ({ id: entry.id, title: entry.questions[0] ?? entry.id }));
}

function entriesById(entries: readonly FaqEntry[]): Map<string, FaqEntry> {
  const byId = new Map<string, FaqEntry>();
  for (const entry of entries) {
    if (byId.has(entry.id)) throw new FlowBlockError('faq', `two entries have the id "${entry.id}"`);
    if (entry.questions.length === 0 && !entry.keywords?.length)
      throw new FlowBlockError('faq', `entry "${entry.id}" has neither questions nor keywords`);
    byId.set(entry.id, entry);
  }
  return byId;
}
