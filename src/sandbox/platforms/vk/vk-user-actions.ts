import {
  type ButtonPressInput,
  pressedButton,
  type ReadInput,
  SandboxInputError,
  type UserMessageInput,
} from '../../sandbox-platform';
import type { ReceivedMessage, VirtualUser } from '../../virtual-users';
import { quotedMessage, userAttachment } from './vk-attachments';
import type { Community } from './vk-communities';
import { findChatMessage } from './vk-message-methods';
import type { VkMethodDeps } from './vk-params';

/** VK's `client_info` for a current mobile client (message_new, API 5.103+). */
const clientInfo = {
  button_actions: [
    'text',
    'vkpay',
    'open_app',
    'location',
    'open_link',
    'callback',
    'intent_subscribe',
    'intent_unsubscribe',
  ],
  keyboard: true,
  inline_keyboard: true,
  carousel: true,
  lang_id: 0,
};

/** A `message_event` id is valid for a minute (dev.vk.com, community events: message_event). */
const eventLifetimeMs = 60_000;

/** What virtual users do on VK: write (text, replies, files), press buttons, read. */
export class VkUserActions {
  constructor(private readonly deps: VkMethodDeps) {}

  async message(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    const community = this.communityFor(input.to);
    const userId = this.accountOf(user);
    const replyTo = input.replyTo ? this.received(user, input.replyTo) : undefined;
    const id = await this.write(user, community, {
      text: input.text,
      attachments: input.attachment ? [userAttachment(this.deps.context, userId, input.attachment)] : [],
      ...(replyTo ? { reply_message: quotedMessage(community, userId, replyTo) } : {}),
    });
    return { messageId: String(id) };
  }

  async pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    const message = this.received(user, input.messageId);
    const button = pressedButton(message, input);
    const community = this.communityFor(message.from);
    const userId = this.accountOf(user);
    if (button.kind === 'link')
      throw new SandboxInputError('a link button opens its URL; VK tells the community nothing', 422);
    if (button.kind === 'reply') {
      await this.write(user, community, {
        text: button.label,
        attachments: [],
        ...(button.payload ? { payload: button.payload } : {}),
      });
      return;
    }
    const eventId = this.deps.context.random.hex(12);
    community.pendingEvents.set(eventId, this.deps.context.clock.nowMs() + eventLifetimeMs);
    await this.deps.callbacks.emit(community, 'message_event', {
      user_id: userId,
      peer_id: userId,
      event_id: eventId,
      payload: button.payload ? (JSON.parse(button.payload) as unknown) : {},
      conversation_message_id: community.messages.get(Number(message.messageId))?.cmid ?? 0,
    });
  }

  /** Marks messages read (cumulatively, like VK) and sends one `message_read` per community. */
  async read(user: VirtualUser, input: ReadInput): Promise<void> {
    const userId = this.accountOf(user);
    const targets = input.messageId ? [this.received(user, input.messageId)] : this.unread(user);
    for (const from of new Set(targets.map((message) => message.from))) {
      const community = this.communityFor(from);
      const upTo = Math.max(...targets.filter((m) => m.from === from).map((m) => Number(m.messageId)));
      for (const message of user.received) {
        if (
          message.platform === 'vk' &&
          message.via === 'chat' &&
          message.from === from &&
          Number(message.messageId) <= upTo &&
          message.status === 'delivered'
        )
          message.status = 'read';
      }
      await this.deps.callbacks.emit(community, 'message_read', {
        from_id: userId,
        peer_id: userId,
        read_message_id: upTo,
        conversation_message_id: community.messages.get(upTo)?.cmid ?? 0,
      });
    }
  }

  /**
   * The user denies (`blocked`) or allows messages from the community: `message_deny` /
   * `message_allow` (Callback API). The control API has already set `account.blocked`.
   */
  async setBlocked(user: VirtualUser, blocked: boolean, to?: string): Promise<void> {
    const community = this.communityFor(to);
    const userId = this.accountOf(user);
    await this.deps.callbacks.emit(
      community,
      blocked ? 'message_deny' : 'message_allow',
      blocked ? { user_id: userId } : { user_id: userId, key: '' },
    );
  }

  private async write(
    user: VirtualUser,
    community: Community,
    content: Record<string, unknown> & { text: string },
  ): Promise<number> {
    const account = user.accounts.vk;
    if (!account) throw new SandboxInputError(`user ${user.id} has no VK account`, 422);
    const userId = Number(account.id);
    const now = this.deps.context.clock.now();
    if (!account.reachable || account.blocked) {
      // writing first (or again after denying) allows community messages (message_allow)
      account.reachable = true;
      account.blocked = false;
      await this.deps.callbacks.emit(community, 'message_allow', { user_id: userId, key: '' });
    }
    account.lastUserMessageAt = now;
    const stored = this.deps.communities.storeMessage(community, {
      peerId: userId,
      out: false,
      dateMs: now.getTime(),
      text: content.text,
    });
    await this.deps.callbacks.emit(community, 'message_new', {
      message: {
        date: Math.floor(now.getTime() / 1000),
        from_id: userId,
        id: stored.id,
        out: 0,
        attachments: [],
        conversation_message_id: stored.cmid,
        fwd_messages: [],
        important: false,
        is_hidden: false,
        peer_id: userId,
        random_id: 0,
        ...content,
      },
      client_info: clientInfo,
    });
    return stored.id;
  }

  private communityFor(to: string | undefined): Community {
    const all = this.deps.communities.all();
    if (to !== undefined) {
      const community = this.deps.communities.get(Number(to));
      if (!community) throw new SandboxInputError(`no VK community ${to}`, 404);
      return community;
    }
    const [only, ...others] = all;
    if (only && others.length === 0) return only;
    throw new SandboxInputError(
      all.length === 0 ? 'no VK community yet' : 'several VK communities: give `to` (group id)',
      422,
    );
  }

  private accountOf(user: VirtualUser): number {
    const account = user.accounts.vk;
    if (!account) throw new SandboxInputError(`user ${user.id} has no VK account`, 422);
    return Number(account.id);
  }

  private received(user: VirtualUser, messageId: string): ReceivedMessage {
    const message = findChatMessage(user, messageId);
    if (!message) throw new SandboxInputError(`user ${user.id} received no VK message ${messageId}`, 404);
    if (message.status === 'deleted') throw new SandboxInputError(`VK message ${messageId} was deleted`, 409);
    return message;
  }

  private unread(user: VirtualUser): ReceivedMessage[] {
    return user.received.filter(
      (message) => message.platform === 'vk' && message.via === 'chat' && message.status === 'delivered',
    );
  }
}
