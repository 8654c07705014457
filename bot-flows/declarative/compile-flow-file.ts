import {
  businessHours,
  type CollectBlock,
  collect,
  type FaqBlock,
  faq,
  greeting,
  menu,
  reaction,
} from '../blocks';
import type { BotContext, BotMiddleware } from '../engine/bot-context';
import { type BotFlow, defineFlow, type HandoffPolicy } from '../engine/define-flow';
import type { MatchLanguage, PhraseOptions } from '../matching';
import type { FlowFile } from './flow-file-schema';

type Action = (ctx: BotContext) => unknown;

/**
 * Builds the flow a validated file describes. The steps run in this order: greeting, collects
 * (a pending question takes the answer first), `on` reactions, menus, the FAQ. A `goto` from a
 * FAQ entry or a reaction runs its target (show a menu, ask a collect's question, answer an entry).
 */
export function compileFlowFile(file: FlowFile): BotFlow {
  const matching: PhraseOptions = { languages: languagesOf(file), synonyms: file.matching?.synonyms };
  const targets = new Map<string, Action>();
  const goto = (id: string | undefined): Action | undefined =>
    id === undefined ? undefined : (ctx) => targets.get(id)?.(ctx);
  const collects = collectsOf(file);
  const menus = Object.entries(file.menus ?? {}).map(([id, spec]) => menu({ id, ...spec, matching }));
  const reactions = (file.on ?? []).map(({ goto: target, ...spec }) =>
    reaction({ ...spec, run: goto(target), matching }),
  );
  const faqBlock = faqOf(file, matching, goto);
  for (const block of collects) targets.set(block.id, block.start);
  for (const block of menus) targets.set(block.id, block.show);
  for (const entry of faqBlock?.entries ?? [])
    targets.set(entry.id, (ctx) => faqBlock?.answer(ctx, entry.id));
  const middleware: BotMiddleware[] = [
    ...(file.greeting ? [greeting(file.greeting)] : []),
    ...collects,
    ...reactions,
    ...menus,
    ...(faqBlock ? [faqBlock] : []),
  ];
  return defineFlow({
    name: file.flow,
    description: file.description,
    channels: file.channels,
    notifications: file.notifications,
    middleware,
    handoff: handoffOf(file),
    businessHours: file.businessHours && businessHours(file.businessHours),
    fallback: file.fallback,
    entries: faqBlock?.entries,
  });
}

function languagesOf(file: FlowFile): MatchLanguage[] | undefined {
  if (file.language === undefined) return undefined;
  return typeof file.language === 'string' ? [file.language] : file.language;
}

function collectsOf(file: FlowFile): CollectBlock[] {
  return Object.entries(file.collect ?? {}).map(([id, { then, ...spec }]) =>
    collect({ id, ...spec, done: then }),
  );
}

function faqOf(
  file: FlowFile,
  matching: PhraseOptions,
  goto: (id: string | undefined) => Action | undefined,
): FaqBlock | null {
  if (!file.faq) return null;
  const entries = file.faq.map(({ goto: target, answer, ...entry }) => ({
    ...entry,
    answer: answer ?? (goto(target) as Action),
  }));
  return faq({ entries, ...matching, threshold: file.matching?.threshold, typos: file.matching?.typos });
}

function handoffOf(file: FlowFile): Partial<HandoffPolicy> {
  const { afterMisses, keywords, button, message } = file.handoff ?? {};
  const policy: Partial<HandoffPolicy> = {};
  if (afterMisses !== undefined) policy.afterMisses = afterMisses;
  if (keywords !== undefined) policy.keywords = keywords;
  if (button !== undefined) policy.buttonLabel = button === false ? null : button;
  if (message !== undefined) policy.message = message;
  return policy;
}
