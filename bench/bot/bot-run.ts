import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../child-process';
import { setUpCpuPinning } from '../cpu-pinning';
import { parseBotOptions } from './bot-options';
import { type BotBenchResults, renderBotMarkdown } from './bot-report';
import { benchEngine } from './engine-bench';
import { benchReplyLatency } from './latency-run';
import { benchMatcher } from './matcher-bench';
import { compileShopFaq, readShopFaq, shopTexts } from './shop-texts';

/**
 * `npm run bench -- bot`: (1) the FAQ matcher over 500 entries on one core, against normalizing
 * and stemming alone, and the whole engine on the shipped shop FAQ; (2) a customer's Telegram
 * message → the bot's reply through the sandbox, Vestnik against a raw node:http echo bot.
 */

const note = (line: string) => process.stderr.write(`${line}\n`);

export async function runBotBench(argv: string[]): Promise<void> {
  const options = parseBotOptions(argv);
  const pinning = setUpCpuPinning();
  const results: BotBenchResults = {
    command: ['npm run bench -- bot', ...argv].join(' '),
    options,
    pinning: { serverCpu: pinning.serverCpu, loadCpus: pinning.loadCpus },
    loadBefore: os.loadavg(),
    loadAfter: [],
    failures: [],
    at: new Date(),
  };
  // A part that fails is reported as failed; the other still runs and the report is still written.
  const part = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      note(`${name} failed: ${message}`);
      results.failures.push(`${name}: ${message.split('\n')[0]}`);
    }
  };
  if (!options.skipMatcher)
    await part('matcher', async () => {
      results.matcher = await benchMatcher(options.seconds, note);
    });
  if (!options.skipMatcher)
    await part('engine', async () => {
      const source = await readShopFaq();
      const { flow, described } = compileShopFaq(source);
      results.engine = await benchEngine(flow, described, shopTexts(source, 1000), options.seconds, note);
    });
  if (!options.skipLatency)
    await part('latency', async () => {
      results.latency = await benchReplyLatency(options, pinning, await readShopFaq(), note);
    });
  results.loadAfter = os.loadavg();
  await writeResults(results, options.label ?? 'latest');
  if (results.failures.length > 0) process.exitCode = 1;
}

async function writeResults(results: BotBenchResults, label: string): Promise<void> {
  const markdown = renderBotMarkdown(results);
  const dir = path.join(packageRoot, 'bench', 'results');
  const name = `bot-${label}`;
  await writeFile(path.join(dir, `${name}.md`), markdown);
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${markdown}\nWritten: bench/results/${name}.md, ${name}.json\n`);
}
