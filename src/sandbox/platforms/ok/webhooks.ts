import { sampleFiles } from '../../file-store';
import type { ButtonPressInput, SandboxContext, UserMessageInput } from '../../sandbox-platform';
import { pressedButton, SandboxInputError, userFile } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import type { OkDialog, OkGroup, OkSimulatorState } from './state';

/** OK attachment type per kind of file a virtual user sends. */
const attachmentTypes: Record<NonNullable<UserMessageInput['attachment']>['kind'], string> = {
  photo: 'IMAGE',
  document: 'FILE',
  voice: 'AUDIO',
  video: 'VIDEO',
};

/** Any other kind a virtual user sends without bytes: the sample JPEG, as an opaque file. */
const otherFile = {
  data: sampleFiles.photo.data,
  mimeType: 'application/octet-stream',
  fileName: 'file.bin',
};

/**
 * What virtual users do on OK, sent as OK's webhooks (graph.user.subscribe docs): MESSAGE_CREATED
 * when they write, MESSAGE_CALLBACK when they press a CALLBACK button. Every subscribed URL of the
 * group gets the same bytes, through `context.callbacks` so drop / duplicate faults apply.
 */
export class OkUserActions {
  constructor(
    private readonly context: SandboxContext,
    private readonly state: OkSimulatorState,
  ) {}

  async userMessage(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }> {
    const account = accountOf(user);
    const group = this.targetGroup(input.to);
    account.reachable = true;
    account.lastUserMessageAt = this.context.clock.now();
    const dialog = this.state.dialogFor(group, user);
    const { mid, seq } = this.state.nextMessageId(dialog.chatId);
    const attachments = input.attachment ? [this.storeAttachment(input.attachment)] : undefined;
    const message = {
      text: input.text,
      seq,
      mid,
      ...(attachments ? { attachments } : {}),
      ...(input.replyTo ? { reply_to: this.repliedMessage(user, input.replyTo) } : {}),
    };
    await this.deliver(group, { ...this.envelope(user, dialog), message, webhookType: 'MESSAGE_CREATED' });
    return { messageId: mid };
  }

  async pressButton(user: VirtualUser, input: ButtonPressInput): Promise<void> {
    const received = this.context.users.findReceived(user, 'ok', input.messageId);
    const sentMessage = this.state.sentMessage(input.messageId);
    const group = sentMessage ? this.state.group(sentMessage.groupId) : undefined;
    if (!received || !sentMessage || !group)
      throw new SandboxInputError(`no OK message ${input.messageId}`, 404);
    const button = pressedButton(received, input);
    if (button.kind !== 'callback')
      throw new SandboxInputError('a LINK button opens its URL; nothing is sent', 422);
    const dialog = this.state.dialogFor(group, user);
    await this.deliver(group, {
      callbackId: this.context.random.token(24),
      payload: button.payload ?? '',
      ...this.envelope(user, dialog),
      message: { mid: received.messageId, text: received.text },
      webhookType: 'MESSAGE_CALLBACK',
    });
  }

  private envelope(user: VirtualUser, dialog: OkDialog): object {
    return {
      sender: { user_id: `user:${accountOf(user).id}`, name: user.name },
      recipient: { chat_id: dialog.chatId },
      timestamp: this.context.clock.nowMs(),
    };
  }

  private targetGroup(to: string | undefined): OkGroup {
    const group = to ? this.state.group(to.replace(/^group:/, '')) : this.state.latestGroup();
    if (!group) throw new SandboxInputError(to ? `no OK group ${to}` : 'no OK group exists yet', 404);
    return group;
  }

  private repliedMessage(user: VirtualUser, mid: string): string {
    if (!this.context.users.findReceived(user, 'ok', mid)) {
      throw new SandboxInputError(`the user received no OK message ${mid}`, 404);
    }
    return mid;
  }

  private storeAttachment(attachment: NonNullable<UserMessageInput['attachment']>): object {
    const fallback = attachment.kind === 'photo' ? sampleFiles.photo : otherFile;
    const { data, mimeType, fileName } = userFile(attachment, fallback);
    const file = this.context.files.put(data, mimeType, fileName);
    const url = this.context.files.urlFor(file.id);
    const payload = attachment.kind === 'photo' ? { url } : { url, name: fileName, size: data.length };
    return { type: attachmentTypes[attachment.kind], payload };
  }

  private async deliver(group: OkGroup, payload: object): Promise<void> {
    const body = JSON.stringify(payload);
    await Promise.all(
      group.subscriptions.map((subscription) =>
        this.context.callbacks.send('ok', {
          url: subscription.url,
          headers: { 'content-type': 'application/json;charset=utf-8' },
          body,
        }),
      ),
    );
  }
}

function accountOf(user: VirtualUser): NonNullable<VirtualUser['accounts']['ok']> {
  const account = user.accounts.ok;
  if (!account) throw new SandboxInputError(`user ${user.id} has no OK account`, 422);
  return account;
}
