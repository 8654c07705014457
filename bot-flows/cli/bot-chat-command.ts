import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ChannelKind } from '../../adapters/contract';
import { causeMessage, FlowSourceInvalid, loadFlowFile } from '../declarative';
import type { BotFlow } from '../engine';
import { type ChatSession, createChatSession, painter } from '../testing';
import { type ChatContext, printTurn, runChatCommand } from './chat-commands';
import { type CliIo, displayPath, exitCodes, problemLines } from './cli-io';
import { watchFile } from './flow-watcher';

export interface BotChatOptions {
  channel: ChannelKind;
  now: Date | null;
  /** A notification template the first message answers (flows that follow a notification up). */
  replyTo: string | null;
}

/**
 * `vestnik bot chat <flow-file>`: a REPL where you are the customer. Reads lines from `input`
 * (a terminal or a pipe) until `/quit` or its end; recompiles the flow when its file changes and
 * keeps the conversation. Resolves with the exit code (2 when the flow cannot be loaded at start).
 */
export async function runBotChat(
  flowFile: string,
  options: BotChatOptions,
  io: CliIo,
  input: Readable,
): Promise<number> {
  const file = path.resolve(flowFile);
  const flow = await loadOrReport(file, io);
  if (!flow) return exitCodes.invalid;
  const replyTo = options.replyTo ? { kind: 'notification' as const, name: options.replyTo, text: '' } : null;
  const session = createChatSession(flow, { channel: options.channel, now: options.now, replyTo });
  const context: ChatContext = {
    session,
    print: (lines) => io.out(lines.join('\n')),
    paint: painter(io.color),
  };
  const stopWatching = await watchFile(file, () => void reload(file, session, io));
  try {
    io.out(
      context.paint(
        'dim',
        `Chatting with flow "${flow.name}" on ${options.channel}. You are the customer; /help lists commands.`,
      ),
    );
    await readLines(input, context);
  } finally {
    await stopWatching();
  }
  return exitCodes.passed;
}

async function readLines(input: Readable, context: ChatContext): Promise<void> {
  const terminal = (input as { isTTY?: boolean }).isTTY === true;
  const lines = createInterface({ input, terminal, prompt: 'you › ' });
  if (terminal) lines.prompt();
  for await (const line of lines) {
    if (!terminal) context.print([`you › ${line}`]);
    if ((await handleLine(line, context)) === 'quit') break;
    if (terminal) lines.prompt();
  }
  lines.close();
}

async function handleLine(line: string, context: ChatContext) {
  if (line.trim() === '') return 'continue';
  if (line.startsWith('/')) return runChatCommand(line, context);
  return printTurn(await context.session.send(line), context);
}

async function loadOrReport(file: string, io: CliIo): Promise<BotFlow | null> {
  try {
    return await loadFlowFile(file);
  } catch (error) {
    if (error instanceof FlowSourceInvalid) io.err(problemLines(error.problems).join('\n'));
    else io.err(`${displayPath(file)}: cannot load the flow: ${causeMessage(error)}`);
    return null;
  }
}

async function reload(file: string, session: ChatSession, io: CliIo): Promise<void> {
  const flow = await loadOrReport(file, io);
  if (!flow) return io.err('(the flow file has problems: still chatting with the previous version)');
  session.setFlow(flow);
  io.out(painter(io.color)('dim', `↻ ${displayPath(file)} reloaded; the conversation goes on`));
}
