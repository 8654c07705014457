import type { Command } from 'commander';
import { z } from 'zod';
import { channelKinds } from '../../adapters/contract';
import { parseArgs } from '../../src/cli/cli-schemas';
import { instantSchema } from '../testing';
import { runBotChat } from './bot-chat-command';
import { runBotTest } from './bot-test-command';
import { processIo } from './cli-io';

const chatArgs = z.object({
  channel: z.enum(channelKinds, { error: `must be a channel type: ${channelKinds.join(', ')}` }),
  now: instantSchema.transform((value) => new Date(value)).optional(),
  replyTo: z.string().min(1).optional(),
});

/**
 * `vestnik bot test` and `vestnik bot chat`. Neither reads the configuration nor touches MongoDB or
 * Redis: they run a flow file in memory on a machine with nothing started.
 */
export function registerBotCommands(program: Command): void {
  const bot = program.command('bot').description('Bot flows: talk to a flow, run conversation scripts');
  bot
    .command('test')
    .description('Run transcript files (a folder: its *.transcript.yaml); exit 0 passed, 1 failed, 2 invalid')
    .argument('<files...>', 'transcript files or folders')
    .option('--json', 'print the reports as JSON')
    .action(async (files: string[], options: { json?: boolean }) => {
      process.exitCode = await runBotTest(files, { json: options.json === true }, processIo());
    });
  bot
    .command('chat')
    .description('Talk to a flow in the terminal as a customer (reloads when the file changes)')
    .argument('<flow-file>', 'a .yaml/.json flow file or a .js module exporting defineFlow(...)')
    .option('--channel <type>', 'render replies as this channel type does', 'telegram')
    .option('--now <ISO>', 'the clock for business hours, e.g. 2026-11-23T20:00:00+03:00')
    .option('--reply-to <template>', 'the first message answers this notification template')
    .action(async (flowFile: string, raw: unknown) => {
      const { channel, now, replyTo } = parseArgs(chatArgs, raw);
      const options = { channel, now: now ?? null, replyTo: replyTo ?? null };
      process.exitCode = await runBotChat(flowFile, options, processIo(), process.stdin);
      process.stdin.destroy();
    });
}
