import type { Response, Router } from 'express';
import type {
  ButtonPressInput,
  ReadInput,
  SandboxContext,
  SandboxPlatform,
  SandboxPlatformFactory,
  UserMessageInput,
} from '../../sandbox-platform';
import { parseControlInput } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import { createAccountInput, ViberAccountStore } from './accounts';
import { sendTooManyRequests } from './errors';
import { createViberRouter } from './routes';
import { ViberUserActions } from './user-actions';

/**
 * The Viber REST bot API simulator. Real base `https://chatapi.viber.com/pa`; the sandbox serves
 * `<sandbox>/viber/pa/<endpoint>`. Beyond the generic control API it offers `subscribe`,
 * `unsubscribe` and `openConversation` to tests holding the sandbox object.
 */
export class ViberSimulator implements SandboxPlatform {
  readonly name = 'viber' as const;
  readonly mountPath = '/viber';
  readonly router: Router;
  private readonly accounts: ViberAccountStore;
  private readonly actions: ViberUserActions;

  constructor(private readonly context: SandboxContext) {
    this.accounts = new ViberAccountStore(context.random);
    this.actions = new ViberUserActions(context, this.accounts);
    this.router = createViberRouter(context, this.accounts);
  }

  /** Viber's rate-limit answer carries no delay, so `retryAfterSeconds` is not used. */
  rateLimitAnswer(res: Response): void {
    sendTooManyRequests(res, this.context.random);
  }

  /** `{name?, uri?}` → `{authToken, name, uri, id}`. */
  async createAccount(body: unknown): Promise<object> {
    const account = this.accounts.create(parseControlInput(createAccountInput, body));
    return { authToken: account.authToken, name: account.name, uri: account.uri, id: account.id };
  }

  userMessage(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    return this.actions.userMessage(user, input);
  }

  pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    return this.actions.pressButton(user, input);
  }

  read(user: VirtualUser, input: ReadInput): Promise<void> {
    return this.actions.read(user, input);
  }

  /**
   * A Viber user blocks a bot by unsubscribing from it (`unsubscribed`; sends then fail with
   * status 6) and unblocks it by subscribing again (`subscribed`).
   */
  setBlocked(user: VirtualUser, blocked: boolean, to?: string): Promise<void> {
    return blocked ? this.actions.unsubscribe(user, to) : this.actions.subscribe(user, to);
  }

  subscribe(user: VirtualUser, to?: string): Promise<void> {
    return this.actions.subscribe(user, to);
  }

  unsubscribe(user: VirtualUser, to?: string): Promise<void> {
    return this.actions.unsubscribe(user, to);
  }

  openConversation(user: VirtualUser, options?: { to?: string; context?: string }): Promise<void> {
    return this.actions.openConversation(user, options);
  }

  info(): object {
    return {
      baseUrl: `${this.context.baseUrl()}/viber/pa`,
      accounts: this.accounts
        .all()
        .map((account) => ({ uri: account.uri, webhook: account.webhook?.url ?? null })),
    };
  }
}

export const viberSimulator: SandboxPlatformFactory = (context) => new ViberSimulator(context);
