import type { SandboxContext } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import { OkSimulatedError } from './errors';

/** A business OK group and its Bot API token and webhook subscriptions. */
export interface OkGroup {
  id: string;
  name: string;
  accessToken: string;
  subscriptions: Array<{ url: string; time: number }>;
}

/** A group-to-user dialog: OK's `chat:<id>` for one user writing to one group. */
export interface OkDialog {
  chatId: string;
  groupId: string;
  userId: string;
}

/** Where a sent message lives, for button presses on it. */
export interface OkSentMessage {
  mid: string;
  chatId: string;
  groupId: string;
}

/** In-memory OK state: groups, dialogs, sent messages. Ids come from the seeded random. */
export class OkSimulatorState {
  private readonly groups = new Map<string, OkGroup>();
  private readonly dialogs = new Map<string, OkDialog>();
  private readonly dialogByPair = new Map<string, string>();
  private readonly sent = new Map<string, OkSentMessage>();
  private sequence = 0;

  constructor(private readonly context: SandboxContext) {}

  createGroup(name: string): OkGroup {
    const { random } = this.context;
    const group: OkGroup = {
      id: String(random.int(5, 9)) + Array.from({ length: 13 }, () => random.int(0, 9)).join(''),
      name,
      accessToken: `tkn1${random.token(58)}:C${random.token(16).toUpperCase()}`,
      subscriptions: [],
    };
    this.groups.set(group.id, group);
    return group;
  }

  /** The group a token belongs to; OK answers an unknown token with PARAM_SESSION_EXPIRED. */
  groupByToken(token: unknown): OkGroup {
    const group = [...this.groups.values()].find((candidate) => candidate.accessToken === token);
    if (!group) throw new OkSimulatedError(102, 'Session expired');
    return group;
  }

  group(id: string): OkGroup | undefined {
    return this.groups.get(id);
  }

  /** The most recently created group: where users write when they do not name one. */
  latestGroup(): OkGroup | undefined {
    return [...this.groups.values()].at(-1);
  }

  /** The dialog of `user` with `group`, created on first need (the user has written to the group). */
  dialogFor(group: OkGroup, user: VirtualUser): OkDialog {
    const pair = `${group.id}|${user.id}`;
    const existing = this.dialogByPair.get(pair);
    if (existing) return this.dialogs.get(existing) as OkDialog;
    const dialog = { chatId: `chat:C${this.context.random.hex(12)}`, groupId: group.id, userId: user.id };
    this.dialogs.set(dialog.chatId, dialog);
    this.dialogByPair.set(pair, dialog.chatId);
    return dialog;
  }

  /** A dialog of `group` by chat id; other groups' chats do not exist for it. */
  dialog(group: OkGroup, chatId: string): OkDialog {
    const dialog = this.dialogs.get(chatId);
    if (!dialog || dialog.groupId !== group.id) throw new OkSimulatedError(705, 'Chat not found');
    return dialog;
  }

  /** A new message id in OK's `mid:<chat>.<hex>` form, and its `seq`. */
  nextMessageId(chatId: string): { mid: string; seq: number } {
    this.sequence += 1;
    return {
      mid: `mid:${chatId.slice('chat:'.length)}.${this.context.random.hex(15)}`,
      seq: this.context.clock.nowMs() * 1000 + this.sequence,
    };
  }

  rememberSent(message: OkSentMessage): void {
    this.sent.set(message.mid, message);
  }

  sentMessage(mid: string): OkSentMessage | undefined {
    return this.sent.get(mid);
  }
}
