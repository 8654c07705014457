import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileFlowSource, parseFlowSource } from '../../bot-flows/declarative';
import type { BotFlow } from '../../bot-flows/engine';
import { sampleQueries } from '../../bot-flows/matching/synthetic-faq';
import { packageRoot } from '../child-process';

/** The shipped example the benchmark runs: a Russian shop's FAQ. */
export const shopFaqFile = path.join(packageRoot, 'bot-flows', 'examples', 'shop-faq.yaml');

const fileName = path.relative(packageRoot, shopFaqFile);

export function readShopFaq(): Promise<string> {
  return readFile(shopFaqFile, 'utf8');
}

/** The shop FAQ compiled the way Vestnik compiles an uploaded or folder flow. */
export function compileShopFaq(source: string): { flow: BotFlow; described: string } {
  const flow = compileFlowSource(source, { fileName });
  return { flow, described: `\`${fileName}\` compiled by \`compileFlowSource\`` };
}

/**
 * `count` customer messages for the shop FAQ: its questions reworded the way the matcher's own
 * sample queries are (lower-cased, a typo, a greeting around, words reversed or dropped); the
 * sample's unrelated texts are left out.
 */
export function shopTexts(source: string, count: number): string[] {
  const file = parseFlowSource(source, fileName);
  const entries = (file.faq ?? []).map(({ id, questions }) => ({ id, questions }));
  if (entries.length === 0) throw new Error(`bench: ${shopFaqFile} has no FAQ entries`);
  return sampleQueries(entries, count * 2)
    .filter((query) => query.expectedId !== null)
    .slice(0, count)
    .map((query) => query.text);
}
