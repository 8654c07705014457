import type { ReceivedMessage, VirtualUser } from '../../virtual-users';
import type { Community } from './vk-communities';
import { VkApiError } from './vk-errors';
import { keyboardButtons } from './vk-keyboard';
import {
  flag,
  intList,
  intParam,
  type MethodCall,
  type MethodHandler,
  ownGroup,
  requiredInt,
  type VkMethodDeps,
} from './vk-params';

/** messages.send text limit (dev.vk.com, messages.send `message`). */
export const maxTextLength = 4096;
/** VK dedupes `random_id` per peer for an hour. */
const randomIdWindowMs = 3_600_000;
/** Delete-for-everyone works for 24 hours. */
const deleteForAllWindowMs = 86_400_000;

/** Who may receive: the user must exist, not be blacklisted (900) and allow messages (901). */
function recipientOf(deps: VkMethodDeps, peerId: number): VirtualUser {
  const user = deps.context.users.byAccount('vk', String(peerId));
  const account = user?.accounts.vk;
  if (!user || !account) throw new VkApiError(901);
  if (account.blocked) throw new VkApiError(900);
  if (!account.reachable) throw new VkApiError(901);
  return user;
}

function peerOf(call: MethodCall): number {
  const peerId = intParam(call.params, 'peer_id') ?? intParam(call.params, 'user_id');
  if (peerId === undefined)
    throw new VkApiError(100, 'you should specify peer_id, user_id, domain, chat_id or user_ids param');
  return peerId;
}

function replyTarget(community: Community, peerId: number, call: MethodCall): number | undefined {
  const replyTo = intParam(call.params, 'reply_to');
  if (replyTo === undefined) return undefined;
  if (community.messages.get(replyTo)?.peerId !== peerId) throw new VkApiError(100, 'reply_to is invalid');
  return replyTo;
}

function send(deps: VkMethodDeps, call: MethodCall): number {
  ownGroup(call);
  const { community, params } = call;
  const peerId = peerOf(call);
  const randomId = intParam(params, 'random_id');
  if (randomId === undefined) throw new VkApiError(100, 'random_id is a required parameter');
  const text = params.message ?? '';
  if (text.length === 0 && !params.attachment) throw new VkApiError(100, 'message is empty or invalid');
  if ([...text].length > maxTextLength) throw new VkApiError(914);
  const user = recipientOf(deps, peerId);
  const buttons = params.keyboard ? keyboardButtons(params.keyboard, community.botCapabilities) : [];
  const replyTo = replyTarget(community, peerId, call);
  const now = deps.context.clock.nowMs();
  const dedupeKey = `${peerId}:${randomId}`;
  const previous = community.randomIds.get(dedupeKey);
  if (randomId !== 0 && previous && now - previous.atMs < randomIdWindowMs) return previous.messageId;
  const stored = deps.communities.storeMessage(community, { peerId, out: true, dateMs: now, text });
  if (randomId !== 0) community.randomIds.set(dedupeKey, { messageId: stored.id, atMs: now });
  deps.context.users.deliver(user, {
    platform: 'vk',
    messageId: String(stored.id),
    from: String(community.groupId),
    via: 'chat',
    text,
    buttons,
    images: [],
    ...(replyTo === undefined ? {} : { replyTo: String(replyTo) }),
  });
  deps.context.scheduleRead(user, 'vk', String(stored.id));
  return stored.id;
}

/** Deletes community messages; for everyone only its own, and only within 24 hours (924). */
function remove(deps: VkMethodDeps, call: MethodCall): unknown[] {
  ownGroup(call);
  const { community, params } = call;
  const peerId = intParam(params, 'peer_id');
  const byCmid = intList(params, 'cmids');
  const inPeer = byCmid.length ? [...community.messages.values()].filter((m) => m.peerId === peerId) : [];
  const ids = [
    ...intList(params, 'message_ids'),
    ...byCmid.map((cmid) => inPeer.find((m) => m.cmid === cmid)?.id ?? 0),
  ];
  if (ids.length === 0) throw new VkApiError(100, 'message_ids is undefined');
  const forAll = flag(params, 'delete_for_all');
  return ids.map((id) => {
    const message = community.messages.get(id);
    const base = {
      peer_id: message?.peerId ?? peerId ?? 0,
      message_id: id,
      conversation_message_id: message?.cmid ?? 0,
    };
    if (!message) return { ...base, response: 0, error: { code: 104, description: 'Not found' } };
    const tooLate = deps.context.clock.nowMs() - message.dateMs > deleteForAllWindowMs;
    if (forAll && (!message.out || tooLate))
      return {
        ...base,
        response: 0,
        error: { code: 924, description: "Can't delete this message for everybody" },
      };
    community.messages.delete(id);
    if (forAll) markDeleted(deps, community, message.peerId, id);
    return { ...base, response: 1 };
  });
}

/** A community message the user received (not a notification-gateway delivery, also under `vk`). */
export function findChatMessage(user: VirtualUser, messageId: string): ReceivedMessage | undefined {
  return user.received.find(
    (message) => message.platform === 'vk' && message.via === 'chat' && message.messageId === messageId,
  );
}

function markDeleted(deps: VkMethodDeps, community: Community, peerId: number, id: number): void {
  const user = deps.context.users.byAccount('vk', String(peerId));
  const received = user && findChatMessage(user, String(id));
  if (received && received.from === String(community.groupId)) received.status = 'deleted';
}

/** Answers a callback button press; its `event_id` is valid for a minute. */
function answerEvent(deps: VkMethodDeps, call: MethodCall): number {
  const { community, params } = call;
  requiredInt(params, 'user_id');
  requiredInt(params, 'peer_id');
  const eventId = params.event_id ?? '';
  const expires = community.pendingEvents.get(eventId);
  if (expires === undefined || expires < deps.context.clock.nowMs())
    throw new VkApiError(100, 'event_id is invalid');
  community.pendingEvents.delete(eventId);
  return 1;
}

/** messages.* methods. */
export function messageMethods(deps: VkMethodDeps): Record<string, MethodHandler> {
  return {
    'messages.send': (call) => send(deps, call),
    'messages.delete': (call) => remove(deps, call),
    'messages.sendMessageEventAnswer': (call) => answerEvent(deps, call),
  };
}
