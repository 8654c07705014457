import { sampleFiles } from '../../file-store';
import { type SandboxContext, type UserMessageInput, userFile } from '../../sandbox-platform';
import type { ReceivedMessage } from '../../virtual-users';
import type { Community } from './vk-communities';

type Attachment = NonNullable<UserMessageInput['attachment']>;

interface FileFacts {
  id: number;
  ownerId: number;
  url: string;
  date: number;
  size: number;
  fileName: string;
  accessKey: string;
}

/** VK attachment objects (vk_objects.json), with sandbox file URLs where VK gives file URLs. */
const attachmentBuilders: Record<Attachment['kind'], (file: FileFacts) => Record<string, unknown>> = {
  photo: ({ id, ownerId, url, date, accessKey }) => ({
    type: 'photo',
    photo: {
      album_id: -3,
      date,
      id,
      owner_id: ownerId,
      access_key: accessKey,
      sizes: [
        { height: 75, type: 's', width: 75, url },
        { height: 1080, type: 'w', width: 1920, url },
      ],
      text: '',
      has_tags: false,
    },
  }),
  document: ({ id, ownerId, url, date, size, fileName, accessKey }) => ({
    type: 'doc',
    doc: {
      id,
      owner_id: ownerId,
      title: fileName,
      size,
      ext: fileName.split('.').at(-1) ?? '',
      date,
      type: 1,
      url,
      access_key: accessKey,
    },
  }),
  voice: ({ id, ownerId, url, accessKey }) => ({
    type: 'audio_message',
    audio_message: {
      id,
      owner_id: ownerId,
      duration: 3,
      waveform: [0, 4, 12, 4, 0],
      link_ogg: url,
      link_mp3: url,
      access_key: accessKey,
    },
  }),
  // VK gives community bots no file URL for videos.
  video: ({ id, ownerId, date, fileName, accessKey }) => ({
    type: 'video',
    video: { id, owner_id: ownerId, title: fileName, duration: 5, date, access_key: accessKey },
  }),
};

/** Stores the file a virtual user sends and returns VK's attachment object for it. */
export function userAttachment(
  context: SandboxContext,
  userId: number,
  attachment: Attachment,
): Record<string, unknown> {
  const { data, mimeType, fileName } = userFile(attachment, sampleFiles[attachment.kind]);
  const file = context.files.put(data, mimeType, fileName);
  return attachmentBuilders[attachment.kind]({
    id: context.random.int(400_000_000, 499_999_999),
    ownerId: userId,
    url: context.files.urlFor(file.id),
    date: Math.floor(context.clock.nowMs() / 1000),
    size: data.length,
    fileName,
    accessKey: context.random.hex(18),
  });
}

/** `reply_message`: the community message the user answers, as VK quotes it. */
export function quotedMessage(community: Community, userId: number, replyTo: ReceivedMessage): object {
  const id = Number(replyTo.messageId);
  return {
    id,
    from_id: -community.groupId,
    text: replyTo.text,
    date: Math.floor(Date.parse(replyTo.receivedAt) / 1000),
    peer_id: userId,
    attachments: [],
    conversation_message_id: community.messages.get(id)?.cmid ?? 0,
  };
}
