import { z } from 'zod';
import { parseControlInput, type SandboxContext, SandboxInputError } from '../../sandbox-platform';
import type { WireMessage, WireUpdate } from './wire-types';

/** A message in one bot's private chat with one user, either direction. */
export interface StoredMessage {
  message: WireMessage;
  fromBot: boolean;
  sentAtMs: number;
  deleted: boolean;
}

/** Message ids are per chat and shared by both directions, as in a real private chat. */
export interface BotChat {
  id: number;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
}

/** A file the bot can see: `file_id` is per bot, the bytes live in the sandbox file store. */
export interface BotFile {
  fileId: string;
  fileUniqueId: string;
  storedId: string;
  size: number;
  filePath: string;
  /** For photos: their size in pixels, echoed in PhotoSize. */
  image?: { width: number; height: number };
}

export interface BotWebhook {
  url: string;
  secretToken: string | null;
  /** `null`: the default set (every update type except chat_member and reactions). */
  allowedUpdates: string[] | null;
}

export interface SimulatedBot {
  id: number;
  token: string;
  username: string;
  firstName: string;
  webhook: BotWebhook | null;
  nextUpdateId: number;
  /** Updates produced while no webhook was set, delivered when one is. */
  pendingUpdates: WireUpdate[];
  chats: Map<number, BotChat>;
  files: Map<string, BotFile>;
  /** file_path → when getFile's link stops working (the API promises at least one hour). */
  fileLinks: Map<string, { fileId: string; expiresAtMs: number }>;
  callbackQueries: Map<string, { answered: boolean }>;
  /** Send times within the last second, for the 30 messages/s limit. */
  recentSends: number[];
}

const createBotInput = z
  .object({
    /** Must end in "bot", as @BotFather requires. */
    username: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{1,28}bot$/i, 'username must be 3-32 characters and end in "bot"')
      .optional(),
    firstName: z.string().min(1).max(64).default('Vestnik Sandbox'),
  })
  .strict();

/** The sandbox's bots, by token. */
export class BotRegistry {
  private readonly bots = new Map<string, SimulatedBot>();

  constructor(private readonly context: SandboxContext) {}

  /** Creates a bot the way @BotFather does: numeric id, token `<id>:<35 characters>`. */
  create(body: unknown): SimulatedBot {
    const input = parseControlInput(createBotInput, body);
    const id = this.context.random.int(1_000_000_000, 7_999_999_999);
    const username = input.username ?? `vestnik_sandbox_${this.bots.size + 1}_bot`;
    if (this.byUsername(username)) throw new SandboxInputError(`bot @${username} already exists`, 409);
    const bot: SimulatedBot = {
      id,
      token: `${id}:AA${this.context.random.token(33)}`,
      username,
      firstName: input.firstName,
      webhook: null,
      nextUpdateId: this.context.random.int(100_000_000, 900_000_000),
      pendingUpdates: [],
      chats: new Map(),
      files: new Map(),
      fileLinks: new Map(),
      callbackQueries: new Map(),
      recentSends: [],
    };
    this.bots.set(bot.token, bot);
    return bot;
  }

  byToken(token: string): SimulatedBot | undefined {
    return this.bots.get(token);
  }

  byId(id: number): SimulatedBot | undefined {
    return [...this.bots.values()].find((bot) => bot.id === id);
  }

  byUsername(username: string): SimulatedBot | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    return [...this.bots.values()].find((bot) => bot.username.toLowerCase() === wanted);
  }

  /** `to` as a bot id or @username; without it, the most recently created bot. */
  pick(to: string | undefined): SimulatedBot {
    const bot =
      to === undefined ? [...this.bots.values()].at(-1) : (this.byId(Number(to)) ?? this.byUsername(to));
    if (!bot)
      throw new SandboxInputError(
        to ? `no Telegram bot ${to}` : 'no Telegram bot yet: create one first',
        404,
      );
    return bot;
  }

  all(): SimulatedBot[] {
    return [...this.bots.values()];
  }
}

/** The bot's private chat with a user (chat id = the user's id), created on first use. */
export function chatOf(bot: SimulatedBot, chatId: number): BotChat {
  let chat = bot.chats.get(chatId);
  if (!chat) {
    chat = { id: chatId, nextMessageId: 1, messages: new Map() };
    bot.chats.set(chatId, chat);
  }
  return chat;
}
