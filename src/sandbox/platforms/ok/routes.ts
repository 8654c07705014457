import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import { answerOkError, OkSimulatedError } from './errors';
import { parseSendBody, receivedButtons } from './rules';
import type { OkGroup, OkSimulatorState } from './state';

type Handler = (req: Request, res: Response, group: OkGroup) => void;

/** Authenticates by `access_token` and turns `OkSimulatedError` into OK's error body. */
const withGroup =
  (state: OkSimulatorState, handler: Handler) =>
  (req: Request, res: Response): void => {
    try {
      handler(req, res, state.groupByToken(req.query.access_token));
    } catch (error) {
      if (!(error instanceof OkSimulatedError)) throw error;
      answerOkError(res, error.code, error.detail);
    }
  };

const subscriptionBody = z.object({ url: z.url({ protocol: /^https?$/ }) });

function subscriptionUrl(body: unknown): string {
  const parsed = subscriptionBody.safeParse(body);
  if (!parsed.success) throw new OkSimulatedError(100, 'Invalid parameter url: an http(s) URL is required');
  return parsed.data.url;
}

/** The Graph API paths of the Bot API, mounted at `/ok` (so `<sandbox>/ok/graph/me/...`). */
export function createOkRouter(context: SandboxContext, state: OkSimulatorState): Router {
  const router = express.Router();
  router.get(
    '/graph/me/info',
    withGroup(state, (_req, res, group) => res.json({ name: group.name, group_id: `group:${group.id}` })),
  );
  router.post(
    '/graph/me/subscribe',
    withGroup(state, (req, res, group) => {
      const url = subscriptionUrl(req.body);
      if (!group.subscriptions.some((entry) => entry.url === url)) {
        group.subscriptions.push({ url, time: context.clock.nowMs() });
      }
      res.json({ success: true });
    }),
  );
  router.post(
    '/graph/me/unsubscribe',
    withGroup(state, (req, res, group) => {
      const url = subscriptionUrl(req.body);
      group.subscriptions = group.subscriptions.filter((entry) => entry.url !== url);
      res.json({ success: true });
    }),
  );
  router.get(
    '/graph/me/subscriptions',
    withGroup(state, (_req, res, group) => res.json({ subscriptions: group.subscriptions })),
  );
  router.get(
    '/graph/me/chats',
    withGroup(state, (req, res, group) => res.json(listChats(context, state, group, req.query))),
  );
  router.post(
    '/graph/me/messages/:chatId',
    withGroup(state, (req, res, group) => res.json(sendMessage(context, state, group, req))),
  );
  router.use((_req, res) => answerOkError(res, 3, 'Method not found'));
  return router;
}

function sendMessage(
  context: SandboxContext,
  state: OkSimulatorState,
  group: OkGroup,
  req: Request,
): { success: true; message_id: string } {
  const chatId = String(req.params.chatId);
  const dialog = state.dialog(group, chatId);
  const body = parseSendBody(req.body, chatId);
  const user = context.users.get(dialog.userId) as VirtualUser;
  if (user.accounts.ok?.blocked)
    throw new OkSimulatedError(458, 'User does not accept messages from this group');
  const { mid } = state.nextMessageId(chatId);
  context.users.deliver(user, {
    platform: 'ok',
    messageId: mid,
    from: group.id,
    via: 'chat',
    text: body.message.text ?? '',
    buttons: receivedButtons(body),
    images: [],
    ...(body.message.reply_to ? { replyTo: body.message.reply_to } : {}),
  });
  state.rememberSent({ mid, chatId, groupId: group.id });
  return { success: true, message_id: mid };
}

const chatsQuery = z.object({ count: z.coerce.number().int().min(1).max(100).default(100) });

/** `GET /graph/me/chats`: the group's dialogs with users who wrote to it (graph.user.chats docs). */
function listChats(context: SandboxContext, state: OkSimulatorState, group: OkGroup, query: unknown): object {
  const parsed = chatsQuery.safeParse(query);
  if (!parsed.success) throw new OkSimulatedError(100, 'Invalid parameter count: 1 to 100');
  const writers = context.users.all().filter((user) => user.accounts.ok?.reachable);
  const chats = writers.slice(0, parsed.data.count).map((user) => {
    const account = user.accounts.ok as NonNullable<VirtualUser['accounts']['ok']>;
    const lastAction = account.lastUserMessageAt?.getTime() ?? context.clock.nowMs();
    return {
      type: 'DIALOG',
      status: 'ACTIVE',
      title: user.name,
      participants: { [`user:${account.id}`]: lastAction },
      lastEventTime: lastAction,
      chat_id: state.dialogFor(group, user).chatId,
      group_id: `group:${group.id}`,
    };
  });
  return { chats };
}
