import { sampleFiles } from '../../file-store';
import {
  type ButtonPressInput,
  pressedButton,
  type ReadInput,
  type SandboxContext,
  SandboxInputError,
  type UserMessageInput,
  userFile,
} from '../../sandbox-platform';
import type { PlatformAccount, VirtualUser } from '../../virtual-users';
import type { ViberAccount, ViberAccountStore } from './accounts';
import { envelope, sendViberCallback, viberUserObject } from './callbacks';
import { newMessageToken } from './wire';

type Attachment = NonNullable<UserMessageInput['attachment']>;

/** Viber `message.type` for each attachment kind a virtual user can send. */
const viberTypes = { photo: 'picture', document: 'file', video: 'video' } as const;

/**
 * What users do on Viber, acted out for one sandbox: write (text, picture, file, video), press keyboard
 * buttons, read, subscribe, unsubscribe, open the chat. Every action reaches the bot as a signed callback.
 */
export class ViberUserActions {
  constructor(
    private readonly context: SandboxContext,
    private readonly accounts: ViberAccountStore,
  ) {}

  /** A message from the user; writing subscribes (and unblocks) them (Viber sends no `subscribed` for it). */
  async userMessage(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    if (input.replyTo)
      throw new SandboxInputError('Viber messages carry no reference to the message answered', 422);
    const account = this.botFor(input.to);
    const viber = this.viberAccountOf(user);
    const message = input.attachment
      ? this.attachmentMessage(input.attachment, input.text)
      : { type: 'text', text: input.text };
    viber.reachable = true;
    viber.blocked = false;
    viber.lastUserMessageAt = this.context.clock.now();
    account.unanswered.delete(viber.id);
    return { messageId: await this.sendMessageCallback(user, account, message) };
  }

  /** A `reply` button sends its ActionBody as the user's text; an `open-url` button only opens the link. */
  async pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    const received = this.context.users.findReceived(user, 'viber', input.messageId);
    const owner = this.accounts.ownerOf(input.messageId);
    if (!received || !owner)
      throw new SandboxInputError(`user received no Viber message ${input.messageId}`, 404);
    const button = pressedButton(received, input);
    if (button.kind !== 'reply' || button.payload === undefined) return;
    const viber = this.viberAccountOf(user);
    viber.lastUserMessageAt = this.context.clock.now();
    owner.account.unanswered.delete(viber.id);
    await this.sendMessageCallback(user, owner.account, { type: 'text', text: button.payload });
  }

  /** Marks messages read and sends `seen` for each. */
  async read(user: VirtualUser, input: ReadInput): Promise<void> {
    const unread = user.received.filter(
      (message) =>
        message.platform === 'viber' &&
        message.status === 'delivered' &&
        (input.messageId === undefined || message.messageId === input.messageId),
    );
    if (
      input.messageId &&
      unread.length === 0 &&
      !this.context.users.findReceived(user, 'viber', input.messageId)
    ) {
      throw new SandboxInputError(`user received no Viber message ${input.messageId}`, 404);
    }
    for (const message of unread) {
      message.status = 'read';
      const owner = this.accounts.ownerOf(message.messageId);
      if (!owner) continue;
      const seen = {
        ...envelope(this.context, 'seen', BigInt(message.messageId)),
        user_id: owner.sent.userId,
      };
      await sendViberCallback(this.context, owner.account, seen);
    }
  }

  /** The user presses "subscribe" in the chat info: `subscribed`. */
  async subscribe(user: VirtualUser, to?: string): Promise<void> {
    const account = this.botFor(to);
    const viber = this.viberAccountOf(user);
    viber.reachable = true;
    await sendViberCallback(this.context, account, {
      ...envelope(this.context, 'subscribed'),
      user: viberUserObject(user, viber.id),
    });
  }

  /** The user unsubscribes: `unsubscribed`; sends to them now fail with status 6. */
  async unsubscribe(user: VirtualUser, to?: string): Promise<void> {
    const account = this.botFor(to);
    const viber = this.viberAccountOf(user);
    viber.reachable = false;
    await sendViberCallback(this.context, account, {
      ...envelope(this.context, 'unsubscribed'),
      user_id: viber.id,
    });
  }

  /** The user opens the chat (deep link `context`): `conversation_started`. */
  async openConversation(user: VirtualUser, options: { to?: string; context?: string } = {}): Promise<void> {
    const account = this.botFor(options.to);
    const viber = this.viberAccountOf(user);
    await sendViberCallback(this.context, account, {
      ...envelope(this.context, 'conversation_started'),
      type: 'open',
      ...(options.context === undefined ? {} : { context: options.context }),
      user: viberUserObject(user, viber.id),
      subscribed: viber.reachable,
    });
  }

  private botFor(to: string | undefined): ViberAccount {
    const account = this.accounts.find(to);
    if (!account)
      throw new SandboxInputError(to ? `no Viber bot ${to}` : 'no Viber bot has a webhook yet', 404);
    return account;
  }

  private viberAccountOf(user: VirtualUser): PlatformAccount {
    const viber = user.accounts.viber;
    if (!viber) throw new SandboxInputError(`user ${user.id} has no Viber account`, 422);
    return viber;
  }

  private attachmentMessage(attachment: Attachment, text: string): Record<string, unknown> {
    if (attachment.kind === 'voice')
      throw new SandboxInputError('Viber does not pass voice messages to bots', 422);
    if (attachment.kind === 'document' && text) {
      throw new SandboxInputError('a Viber file message has no caption; send the text separately', 422);
    }
    const { data, mimeType, fileName } = userFile(attachment, sampleFiles[attachment.kind]);
    const stored = this.context.files.put(data, mimeType, fileName);
    const media = this.context.files.urlFor(stored.id);
    const caption = attachment.kind === 'document' ? {} : { text };
    const extra = attachment.kind === 'video' ? { thumbnail: media, duration: 1 } : {};
    return {
      type: viberTypes[attachment.kind],
      media,
      file_name: fileName,
      size: data.length,
      ...caption,
      ...extra,
    };
  }

  private async sendMessageCallback(
    user: VirtualUser,
    account: ViberAccount,
    message: Record<string, unknown>,
  ): Promise<string> {
    const viber = this.viberAccountOf(user);
    const token = newMessageToken(this.context.random);
    const trackingData = account.lastTrackingData.get(viber.id);
    await sendViberCallback(this.context, account, {
      ...envelope(this.context, 'message', token),
      sender: viberUserObject(user, viber.id),
      message: { ...message, ...(trackingData ? { tracking_data: trackingData } : {}) },
      silent: false,
    });
    return String(token);
  }
}
