import { type FileContent, sampleFiles } from '../../file-store';
import {
  type ButtonPressInput,
  pressedButton,
  type ReadInput,
  type SandboxContext,
  SandboxInputError,
  type UserMessageInput,
  userFile,
} from '../../sandbox-platform';
import type { PlatformAccount, ReceivedMessage, VirtualUser } from '../../virtual-users';
import type { WhatsappAccount, WhatsappAccounts } from './accounts';
import type { WhatsappMediaStore } from './media';
import type { WhatsappOutbound } from './outbound';
import type { WhatsappWebhooks } from './webhooks';

type Attachment = NonNullable<UserMessageInput['attachment']>;

/** One `messages[]` item of a webhook, as the simulator builds it. */
type WireMessage = { id: string } & Record<string, unknown>;

const sandboxFile = Buffer.from('sandbox file\n');

/** How each attachment kind arrives: message type, default file, and whether it takes a caption. */
const attachmentTypes: Readonly<
  Record<Attachment['kind'], FileContent & { type: string; caption: boolean }>
> = {
  photo: { type: 'image', ...sampleFiles.photo, caption: true },
  document: {
    type: 'document',
    data: sandboxFile,
    mimeType: 'text/plain',
    fileName: 'document.txt',
    caption: true,
  },
  voice: {
    type: 'audio',
    data: sandboxFile,
    mimeType: 'audio/ogg; codecs=opus',
    fileName: 'voice.ogg',
    caption: false,
  },
  video: { type: 'video', data: sandboxFile, mimeType: 'video/mp4', fileName: 'video.mp4', caption: true },
};

/** What virtual users do on WhatsApp: write (text, files), tap buttons, read. */
export class WhatsappUserActions {
  constructor(
    private readonly context: SandboxContext,
    private readonly accounts: WhatsappAccounts,
    private readonly media: WhatsappMediaStore,
    private readonly outbound: WhatsappOutbound,
    private readonly webhooks: WhatsappWebhooks,
  ) {}

  /**
   * The user writes to a business number (`to`: phone number id or display number; else the
   * newest account). Opens the 24-hour window. A voice note with text arrives as two messages in
   * one notification (voice notes have no caption).
   */
  async userMessage(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    const { account, wa } = this.parties(user, input.to);
    const context = input.replyTo ? { context: { from: account.displayPhoneNumber, id: input.replyTo } } : {};
    const attachment = input.attachment;
    const captioned = attachment ? attachmentTypes[attachment.kind].caption : false;
    const messages: WireMessage[] = [];
    if (attachment) messages.push(this.mediaMessage(account, wa, input, attachment, context));
    if (input.text && !captioned) {
      messages.push(this.base(wa, 'text', { text: { body: input.text }, ...(attachment ? {} : context) }));
    }
    const [first] = messages;
    if (!first) throw new SandboxInputError('text or attachment is required');
    await this.send(account, user, wa, messages);
    return { messageId: first.id };
  }

  /** The user taps a reply button: `interactive.button_reply`, or `button` for template quick replies. */
  async pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    const received = this.context.users.findReceived(user, 'whatsapp', input.messageId);
    if (!received)
      throw new SandboxInputError(`user ${user.id} received no WhatsApp message ${input.messageId}`, 404);
    const button = pressedButton(received, input);
    if (button.kind === 'link')
      throw new SandboxInputError('a link button opens its URL; WhatsApp tells the business nothing', 422);
    const { account, wa } = this.parties(user, received.from);
    const context = { context: { from: account.displayPhoneNumber, id: received.messageId } };
    const payload = button.payload ?? button.label;
    const message = received.template
      ? this.base(wa, 'button', { ...context, button: { payload, text: button.label } })
      : this.base(wa, 'interactive', {
          ...context,
          interactive: { type: 'button_reply', button_reply: { id: payload, title: button.label } },
        });
    await this.send(account, user, wa, [message]);
  }

  /** The user reads one message, or every unread WhatsApp message. */
  async read(user: VirtualUser, input: ReadInput): Promise<void> {
    const unread = user.received.filter(
      (message) =>
        message.platform === 'whatsapp' &&
        (input.messageId ? message.messageId === input.messageId : message.status === 'delivered'),
    );
    if (input.messageId && unread.length === 0) {
      throw new SandboxInputError(`user ${user.id} received no WhatsApp message ${input.messageId}`, 404);
    }
    for (const message of unread) this.readOne(user, message);
  }

  private readOne(user: VirtualUser, message: ReceivedMessage): void {
    const account = this.accounts.byPhoneNumberId(message.from);
    const wa = user.accounts.whatsapp;
    if (account && wa) this.outbound.markRead(account, message, wa.id);
  }

  private parties(
    user: VirtualUser,
    to: string | undefined,
  ): { account: WhatsappAccount; wa: PlatformAccount } {
    const wa = user.accounts.whatsapp;
    if (!wa) throw new SandboxInputError(`user ${user.id} has no WhatsApp account`, 422);
    const account = this.accounts.pick(to);
    if (!account) throw new SandboxInputError(`no WhatsApp business account ${to ?? ''}`.trim(), 404);
    return { account, wa };
  }

  private base(wa: PlatformAccount, type: string, fields: object): WireMessage {
    return {
      from: wa.id,
      id: `wamid.HBgL${this.context.random.token(44)}`,
      timestamp: String(Math.floor(this.context.clock.nowMs() / 1000)),
      type,
      ...fields,
    };
  }

  private mediaMessage(
    account: WhatsappAccount,
    wa: PlatformAccount,
    input: UserMessageInput,
    attachment: Attachment,
    context: object,
  ): WireMessage {
    const spec = attachmentTypes[attachment.kind];
    const { data, mimeType, fileName } = userFile(attachment, spec);
    const stored = this.media.put(account, data, mimeType, fileName);
    const object: Record<string, unknown> = { mime_type: mimeType, sha256: stored.sha256, id: stored.id };
    if (spec.caption && input.text) object.caption = input.text;
    if (attachment.kind === 'document') object.filename = fileName;
    if (attachment.kind === 'voice') object.voice = true;
    return this.base(wa, spec.type, { [spec.type]: object, ...context });
  }

  private async send(
    account: WhatsappAccount,
    user: VirtualUser,
    wa: PlatformAccount,
    messages: object[],
  ): Promise<void> {
    wa.lastUserMessageAt = this.context.clock.now();
    await this.webhooks.notify(account, {
      contacts: [{ profile: { name: user.name }, wa_id: wa.id }],
      messages,
    });
  }
}
