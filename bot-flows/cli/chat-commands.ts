import { channelKinds, isChannelKind } from '../../adapters/contract';
import { ButtonNotOffered, type ChatSession, type ChatTurn, instantSchema, type painter } from '../testing';
import { turnLines } from './chat-view';

/** What a slash command acts on. */
export interface ChatContext {
  session: ChatSession;
  print(lines: readonly string[]): void;
  paint: ReturnType<typeof painter>;
}

type CommandOutcome = 'continue' | 'quit';

interface ChatCommand {
  usage: string;
  help: string;
  run(argument: string, context: ChatContext): Promise<CommandOutcome> | CommandOutcome;
}

async function press(argument: string, context: ChatContext): Promise<CommandOutcome> {
  if (!argument) return note(context, 'usage: /press <n|label>');
  const target = /^\d+$/.test(argument) ? Number(argument) : argument;
  const offered = context.session.buttonFor(target);
  try {
    const turn = await context.session.press(target);
    if (!offered && context.session.state.owner === 'bot')
      context.print([context.paint('dim', `(not offered: sent as payload ${JSON.stringify(argument)})`)]);
    return printTurn(turn, context);
  } catch (error) {
    if (error instanceof ButtonNotOffered) return note(context, error.message);
    throw error;
  }
}

function setChannel(argument: string, context: ChatContext): CommandOutcome {
  if (!isChannelKind(argument)) return note(context, `channel types: ${channelKinds.join(', ')}`);
  context.session.setChannel(argument);
  return note(context, `replies now render for ${argument}`);
}

function setNow(argument: string, context: ChatContext): CommandOutcome {
  if (argument === 'off') {
    context.session.setNow(null);
    return note(context, 'the clock is the real time');
  }
  if (!instantSchema.safeParse(argument).success)
    return note(context, 'usage: /now 2026-11-23T20:00:00+03:00 (or /now off)');
  context.session.setNow(new Date(argument));
  return note(context, `the clock is ${argument}`);
}

const chatCommands: Readonly<Record<string, ChatCommand>> = {
  press: { usage: '/press <n|label>', help: 'press an offered button (or send any payload)', run: press },
  channel: { usage: '/channel <type>', help: 'render replies for another channel type', run: setChannel },
  now: { usage: '/now <ISO|off>', help: 'set the clock (business hours); off: the real time', run: setNow },
  state: {
    usage: '/state',
    help: 'the conversation: owner, ctx.state, misses, offered buttons',
    run: (_argument, context) => {
      context.print([JSON.stringify(context.session.state, null, 2)]);
      return 'continue';
    },
  },
  reset: {
    usage: '/reset',
    help: 'start a new conversation',
    run: (_argument, context) => {
      context.session.reset();
      return note(context, 'new conversation');
    },
  },
  help: { usage: '/help', help: 'this list', run: (_argument, context) => note(context, helpText()) },
  quit: { usage: '/quit', help: 'leave (Ctrl+D too)', run: () => 'quit' },
};

/** The commands, one a line. */
function helpText(): string {
  const width = Math.max(...Object.values(chatCommands).map((command) => command.usage.length));
  return Object.values(chatCommands)
    .map((command) => `${command.usage.padEnd(width)}  ${command.help}`)
    .join('\n');
}

/** Runs a `/command argument` line. */
export async function runChatCommand(line: string, context: ChatContext): Promise<CommandOutcome> {
  const [, name = '', argument = ''] = /^\/(\S*)\s*(.*)$/.exec(line.trim()) ?? [];
  const command = chatCommands[name === 'exit' ? 'quit' : name];
  if (!command) return note(context, `unknown command /${name}; /help lists them`);
  return command.run(argument.trim(), context);
}

/** Prints a turn's replies; `continue`. */
export function printTurn(turn: ChatTurn, context: ChatContext): CommandOutcome {
  context.print(turnLines(turn, context.paint));
  return 'continue';
}

function note(context: ChatContext, text: string): CommandOutcome {
  context.print([context.paint('dim', text)]);
  return 'continue';
}
