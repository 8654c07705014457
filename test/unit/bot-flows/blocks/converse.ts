import {
  type BotFlow,
  type BotReplyContext,
  type BotSession,
  type BotTurnResult,
  runTurn,
} from '../../../../bot-flows/engine';

/** A Tuesday, 13:00 in Moscow: inside any ordinary business hours. */
export const tuesdayNoonMoscow = new Date('2026-03-03T10:00:00Z');

export interface ConverseOptions {
  now?: Date;
  channelType?: string;
  /** What every message answers (a notification), unless a turn says otherwise. */
  replyTo?: BotReplyContext | null;
}

/** One customer talking to a flow through the real engine; the session is carried from turn to turn. */
export interface Conversation {
  say(text: string, options?: { replyTo?: BotReplyContext | null }): Promise<BotTurnResult>;
  press(payload: string, label?: string): Promise<BotTurnResult>;
  readonly session: BotSession | null;
}

export function converse(flow: BotFlow, options: ConverseOptions = {}): Conversation {
  let session: BotSession | null = null;
  const turn = async (message: BotTurnResult['message']) => {
    const result = await runTurn(flow, {
      conversation: { id: 'c1', channelId: 'ch1', channelType: options.channelType ?? 'telegram' },
      contact: { id: 'p1', name: 'Анна' },
      message,
      session,
      now: options.now ?? tuesdayNoonMoscow,
    });
    if (result.error) throw result.error;
    session = result.session;
    return result;
  };
  return {
    say: (text, turnOptions) =>
      turn({ kind: 'text', text, payload: null, replyTo: turnOptions?.replyTo ?? options.replyTo ?? null }),
    press: (payload, label = payload) =>
      turn({ kind: 'button', text: label, payload, replyTo: options.replyTo ?? null }),
    get session() {
      return session;
    },
  };
}

/** A conversation in which the customer has already said `texts` (a greeting, a question that asks). */
export async function converseAfter(
  flow: BotFlow,
  texts: readonly string[],
  options: ConverseOptions = {},
): Promise<Conversation> {
  const chat = converse(flow, options);
  for (const text of texts) await chat.say(text);
  return chat;
}

/** The texts the bot sent in a turn. */
export function textsOf(result: BotTurnResult): string[] {
  return result.replies.map((reply) => reply.text);
}

/** The labels and payloads (or urls) of a turn's last reply's buttons. */
export function buttonsOf(result: BotTurnResult): string[] {
  return (result.replies.at(-1)?.buttons ?? []).map((button) =>
    'url' in button ? `${button.label} → ${button.url}` : `${button.label} → ${button.payload}`,
  );
}
