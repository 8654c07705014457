import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../sandbox-platform';
import { filterableEvents, type ViberAccount, type ViberAccountStore } from './accounts';
import { checkWebhook } from './callbacks';
import { sendViberError, sendViberJson, ViberApiError, viberStatus } from './errors';
import { acceptMessage, billingStatus, countUnanswered, receiverOf } from './messaging';
import { checkSendMessage } from './rules';
import { newMessageToken, viberChatHostname } from './wire';

type ViberHandler = (
  account: ViberAccount,
  body: Record<string, unknown>,
  req: Request,
) => Promise<object> | object;

const bodyOf = (req: Request): Record<string, unknown> =>
  typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};

/** `X-Viber-Auth-Token` header (viber-bot also repeats it as `auth_token` in the body). */
function accountOf(accounts: ViberAccountStore, req: Request): ViberAccount {
  const header = req.headers['x-viber-auth-token'];
  const bodyToken = bodyOf(req).auth_token;
  const token = typeof header === 'string' ? header : typeof bodyToken === 'string' ? bodyToken : undefined;
  const account = accounts.byToken(token);
  if (!account) throw new ViberApiError('invalidAuthToken');
  return account;
}

/** Wraps a Viber endpoint: auth, then the handler; `ViberApiError` becomes Viber's HTTP 200 error. */
const endpoint =
  (accounts: ViberAccountStore, handler: ViberHandler) =>
  async (req: Request, res: Response): Promise<void> => {
    try {
      const account = accountOf(accounts, req);
      sendViberJson(res, {
        status: viberStatus.ok,
        status_message: 'ok',
        ...(await handler(account, bodyOf(req), req)),
      });
    } catch (error) {
      if (!(error instanceof ViberApiError)) throw error;
      sendViberError(res, error);
    }
  };

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** set_webhook: `url: ""` removes the webhook; otherwise Viber checks the URL with a signed `webhook` call. */
function setWebhook(context: SandboxContext): ViberHandler {
  return async (account, body) => {
    const url = body.url;
    if (url === '') {
      account.webhook = null;
      return {};
    }
    if (typeof url !== 'string' || !isHttpUrl(url)) throw new ViberApiError('invalidUrl');
    const requested = Array.isArray(body.event_types) ? body.event_types.map(String) : [...filterableEvents];
    if (!(await checkWebhook(context, account, url))) {
      throw new ViberApiError('invalidUrl', 'the webhook did not answer the check with HTTP 200');
    }
    const eventTypes = filterableEvents.filter((event) => requested.includes(event));
    account.webhook = { url, eventTypes };
    return { event_types: eventTypes };
  };
}

function sendMessage(context: SandboxContext, accounts: ViberAccountStore): ViberHandler {
  return (account, body) => {
    const request = checkSendMessage(body);
    if (!account.webhook) throw new ViberApiError('webhookNotSet');
    const user = receiverOf(context, request.receiver);
    countUnanswered(context, account, request.receiver);
    const token = acceptMessage(context, accounts, account, user, request);
    return {
      message_token: token,
      chat_hostname: viberChatHostname,
      billing_status: billingStatus(context, user),
    };
  };
}

const accountInfo: ViberHandler = (account) => ({
  id: account.id,
  name: account.name,
  uri: account.uri,
  icon: 'https://media.cdn.viber.com/pg_download?id=sandbox',
  background: 'https://media.cdn.viber.com/pg_download?id=sandbox-bg',
  category: 'Business',
  subcategory: 'Services',
  location: { lon: 37.6173, lat: 55.7558 },
  country: 'RU',
  webhook: account.webhook?.url ?? '',
  event_types: account.webhook?.eventTypes ?? [],
  subscribers_count: 0,
  members: [],
});

function userDetails(context: SandboxContext): ViberHandler {
  return (_account, body) => {
    const id = typeof body.id === 'string' ? body.id : '';
    if (!id) throw new ViberApiError('missingData');
    const user = receiverOf(context, id);
    return {
      message_token: newMessageToken(context.random),
      user: {
        id,
        name: user.name,
        language: 'ru',
        country: 'RU',
        primary_device_os: 'Android 14',
        api_version: 10,
      },
    };
  };
}

/** get_online: up to 100 ids; "online" when the user opened the app in the last five minutes. */
function online(context: SandboxContext): ViberHandler {
  return (_account, body) => {
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    if (ids.length === 0) throw new ViberApiError('missingData');
    if (ids.length > 100) throw new ViberApiError('badData', 'at most 100 ids');
    const users = ids.map((id) => {
      const user = context.users.byAccount('viber', id);
      const isOnline = user !== undefined && context.clock.nowMs() - user.lastSeenAt.getTime() < 300_000;
      return isOnline
        ? { id, online_status: 0, online_status_message: 'online' }
        : {
            id,
            online_status: 1,
            online_status_message: 'offline',
            last_online: user?.lastSeenAt.getTime() ?? 0,
          };
    });
    return { users };
  };
}

/** The Viber REST bot API under `/pa` (the sandbox mounts it at `/viber`). */
export function createViberRouter(context: SandboxContext, accounts: ViberAccountStore): Router {
  const router = express.Router();
  router.post('/pa/set_webhook', endpoint(accounts, setWebhook(context)));
  router.post('/pa/send_message', endpoint(accounts, sendMessage(context, accounts)));
  router.post('/pa/get_account_info', endpoint(accounts, accountInfo));
  router.post('/pa/get_user_details', endpoint(accounts, userDetails(context)));
  router.post('/pa/get_online', endpoint(accounts, online(context)));
  router.post(
    '/pa/post',
    endpoint(accounts, () => {
      throw new ViberApiError('noPublicChat');
    }),
  );
  return router;
}
