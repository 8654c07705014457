import type { Response } from 'express';
import {
  parseControlInput,
  type SandboxContext,
  SandboxInputError,
  type SandboxPlatform,
  type SandboxPlatformFactory,
} from '../../sandbox-platform';
import { createAccountInput, WhatsappAccounts } from './accounts';
import { graphErrors, sendGraphError } from './graph-errors';
import { WhatsappMediaStore } from './media';
import { WhatsappOutbound } from './outbound';
import { createWhatsappRouter } from './routes';
import { WhatsappTemplateStore } from './templates';
import { WhatsappUserActions } from './user-actions';
import { WhatsappWebhooks } from './webhooks';

const apiVersion = 'v23.0';

/**
 * WhatsApp Business Cloud API simulator, mounted at `/whatsapp` in place of
 * `https://graph.facebook.com`. See adapters/whatsapp/README.md for what it reproduces.
 */
export const whatsappSimulator: SandboxPlatformFactory = (context: SandboxContext): SandboxPlatform => {
  const accounts = new WhatsappAccounts(context);
  const media = new WhatsappMediaStore(context);
  const templates = new WhatsappTemplateStore(context);
  const webhooks = new WhatsappWebhooks(context);
  const outbound = new WhatsappOutbound(context, media, templates, webhooks);
  const users = new WhatsappUserActions(context, accounts, media, outbound, webhooks);
  return {
    name: 'whatsapp',
    mountPath: '/whatsapp',
    router: createWhatsappRouter({ context, accounts, media, templates, outbound, webhooks }),
    /** The Cloud API's throughput error: HTTP 400, code 130429, and no retry delay of its own. */
    rateLimitAnswer: (res: Response) => sendGraphError(res, context.random, graphErrors.throughput()),
    async createAccount(body) {
      const input = parseControlInput(createAccountInput, body);
      const account = accounts.create(input);
      if (input.callbackUrl && input.verifyToken) {
        const problem = await webhooks.verifyCallback(input.callbackUrl, input.verifyToken);
        if (problem) throw new SandboxInputError(`callback verification failed: ${problem}`, 422);
        account.callback = { url: input.callbackUrl, verifyToken: input.verifyToken };
      }
      return {
        phoneNumberId: account.phoneNumberId,
        wabaId: account.wabaId,
        accessToken: account.accessToken,
        appSecret: account.appSecret,
        displayPhoneNumber: account.displayPhoneNumber,
        apiBaseUrl: `${context.baseUrl()}/whatsapp`,
        apiVersion,
      };
    },
    userMessage: (user, input) => users.userMessage(user, input),
    pressButton: (user, input) => users.pressButton(user, input),
    read: (user, input) => users.read(user, input),
    info: () => ({ apiBaseUrl: `${context.baseUrl()}/whatsapp`, apiVersion, accounts: accounts.count() }),
  };
};
