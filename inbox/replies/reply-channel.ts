import type { ChannelAdapter, Recipient } from '../../adapters/contract';
import type { ChannelRecord } from '../../src/channels/channel-runtime';
import { AppError } from '../../src/errors/app-error';
import type { StoredConversation } from '../conversations/conversation-view';
import type { InboxCore } from '../inbox-core';

/** The live channel of a conversation: its stored record and adapter. */
export interface ReplyChannel {
  record: ChannelRecord;
  adapter: ChannelAdapter;
}

/** The conversation's channel, or null when it was deleted (or is not of the workspace). */
export async function liveReplyChannel(
  core: Pick<InboxCore, 'channels'>,
  conversation: Pick<StoredConversation, 'channelId' | 'workspaceId'>,
): Promise<ReplyChannel | null> {
  const { runtime } = core.channels;
  const record = await runtime.lookup(String(conversation.channelId));
  if (!record || String(record.workspaceId) !== String(conversation.workspaceId)) return null;
  return { record, adapter: runtime.adapterFor(record) };
}

/** Like `liveReplyChannel`, for the API: a deleted channel is `inbox.channel_removed` (409). */
export async function requireReplyChannel(
  core: Pick<InboxCore, 'channels'>,
  conversation: Pick<StoredConversation, 'channelId' | 'workspaceId'>,
): Promise<ReplyChannel> {
  const channel = await liveReplyChannel(core, conversation);
  if (!channel) {
    throw new AppError(
      'inbox.channel_removed',
      'The conversation’s channel was deleted; nothing can be sent in it.',
    );
  }
  return channel;
}

/**
 * Where a reply goes: the conversation's chat id, as the channel addresses people. Phone channels
 * (SMS, the notification gateway) take a phone — the chat id when it is one, else the contact's
 * phone; e-mail takes the address; chat channels take the platform's user / chat id.
 */
export function replyRecipient(
  conversation: Pick<StoredConversation, 'externalChatId' | 'contactPhone'>,
  adapter: ChannelAdapter,
): Recipient {
  const chatId = conversation.externalChatId;
  const { initiation } = adapter.capabilities;
  if (initiation === 'by-phone') {
    return { kind: 'phone', phone: chatId.startsWith('+') ? chatId : (conversation.contactPhone ?? chatId) };
  }
  if (initiation === 'by-address') return { kind: 'email', address: chatId };
  return { kind: 'user', externalUserId: chatId };
}
