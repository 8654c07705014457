import type { SandboxContext } from '../../sandbox-platform';
import type { BotRegistry, SimulatedBot } from './bot-registry';
import type { RequestParams } from './request-params';
import type { UpdateDispatcher } from './update-dispatcher';

/** What every part of the Telegram simulator works with. */
export interface TelegramSimulatorDeps {
  context: SandboxContext;
  bots: BotRegistry;
  updates: UpdateDispatcher;
}

/** One authenticated Bot API call. */
export interface MethodCall {
  bot: SimulatedBot;
  params: RequestParams;
}

/** A successful answer: `{ok: true, result, description?}`. */
export interface MethodAnswer {
  result: unknown;
  description?: string;
}

export type MethodHandler = (call: MethodCall) => MethodAnswer | Promise<MethodAnswer>;
