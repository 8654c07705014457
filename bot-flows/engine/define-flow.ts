import type { BotContext, BotMiddleware, BotReply } from './bot-context';

/** When and how the bot hands a conversation to the operators. */
export interface HandoffPolicy {
  /** Consecutive turns the bot did not understand before it hands off (default 3). */
  afterMisses: number;
  /** Words that hand off at once, typos tolerated (default: оператор, живой человек, operator, human). */
  keywords: readonly string[];
  /** Label of the hand-off button added to "not understood" replies; null: no button. */
  buttonLabel: string | null;
  /** What the bot says when it hands off. */
  message: string;
}

/** Opening hours of the operators: outside them a hand-off also tells the customer when they answer. */
export interface BusinessHoursPolicy {
  isOpen(at: Date): boolean;
  /** The auto-reply outside the hours ("Операторы отвечают пн–пт 9:00–18:00 МСК…"). */
  closedMessage(at: Date): string;
}

/** A FAQ entry as the report of never-matched entries lists it. */
export interface FlowEntryInfo {
  id: string;
  /** Its first question, or a title. */
  title: string;
}

/** What `defineFlow` takes. Only `name` and `middleware` are required. */
export interface FlowDefinition {
  /** Unique within a workspace: letters, digits, `-`, `_` (1–64). */
  name: string;
  description?: string;
  /** Channel types (`telegram`) or channel ids this flow serves; omitted: every channel. */
  channels?: readonly string[];
  /**
   * Notification template names this flow answers: a customer's reply to one of them starts this
   * flow whatever the channel (a bank's follow-up to "Это вы?").
   */
  notifications?: readonly string[];
  middleware: readonly BotMiddleware[];
  handoff?: Partial<HandoffPolicy>;
  businessHours?: BusinessHoursPolicy;
  /** The reply when nothing matched (before the hand-off after `afterMisses`). */
  fallback?: string | ((ctx: BotContext) => BotReply);
  /** The FAQ entries, for the report of entries never matched. */
  entries?: readonly FlowEntryInfo[];
}

/** A ready flow: what the runtime, `vestnik bot chat` and `vestnik bot test` run. */
export interface BotFlow {
  readonly kind: 'vestnik.bot-flow';
  readonly name: string;
  readonly description: string | null;
  readonly channels: readonly string[] | null;
  readonly notifications: readonly string[];
  readonly middleware: readonly BotMiddleware[];
  readonly handoff: Readonly<HandoffPolicy>;
  readonly businessHours: BusinessHoursPolicy | null;
  readonly fallback: (ctx: BotContext) => BotReply;
  readonly entries: readonly FlowEntryInfo[];
}

export const defaultHandoff: HandoffPolicy = {
  afterMisses: 3,
  keywords: ['оператор', 'живой человек', 'позовите человека', 'operator', 'human', 'agent'],
  buttonLabel: 'Позвать оператора',
  message: 'Передаю ваш вопрос оператору, он ответит здесь же.',
};

const defaultFallback = 'Я не понял вопрос. Переформулируйте, пожалуйста, или позовите оператора.';

export const flowNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Thrown for a definition that cannot run (bad name, no middleware, a bad hand-off policy). */
export class FlowDefinitionError extends Error {
  override readonly name = 'FlowDefinitionError';
}

/**
 * Builds a flow from middleware for programmers (the YAML/JSON form compiles to the same thing):
 *
 * ```ts
 * export default defineFlow({
 *   name: 'shop',
 *   middleware: [faq({ entries }), async (ctx, next) => { if (ctx.message.payload === 'deny') ctx.handoff('deny'); else await next(); }],
 *   handoff: { afterMisses: 2 },
 * });
 * ```
 */
export function defineFlow(definition: FlowDefinition): BotFlow {
  if (!flowNamePattern.test(definition.name))
    throw new FlowDefinitionError(`flow name "${definition.name}" must match ${flowNamePattern}`);
  if (definition.middleware.length === 0)
    throw new FlowDefinitionError(`flow "${definition.name}" has no middleware`);
  const handoff = { ...defaultHandoff, ...definition.handoff };
  if (!Number.isInteger(handoff.afterMisses) || handoff.afterMisses < 1)
    throw new FlowDefinitionError(
      `handoff.afterMisses must be a whole number ≥ 1 (got ${handoff.afterMisses})`,
    );
  const fallback = definition.fallback ?? defaultFallback;
  return Object.freeze({
    kind: 'vestnik.bot-flow',
    name: definition.name,
    description: definition.description ?? null,
    channels: definition.channels ? [...definition.channels] : null,
    notifications: [...(definition.notifications ?? [])],
    middleware: [...definition.middleware],
    handoff: Object.freeze(handoff),
    businessHours: definition.businessHours ?? null,
    fallback: typeof fallback === 'string' ? () => ({ text: fallback }) : fallback,
    entries: [...(definition.entries ?? [])],
  });
}

/** Whether a value is a flow built by `defineFlow` (for modules loaded at run time). */
export function isBotFlow(value: unknown): value is BotFlow {
  return (value as { kind?: unknown } | null)?.kind === 'vestnik.bot-flow';
}
