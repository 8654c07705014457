import type { InboundAttachment } from '../contract';
import type { IncomingMessage, MessageAttachment } from './callback-schema';

type Size = { url: string; width: number; height: number };

const largest = (sizes: readonly Size[]): Size | undefined =>
  sizes.reduce<Size | undefined>(
    (best, size) => (!best || size.width * size.height > best.width * best.height ? size : best),
    undefined,
  );

/**
 * VK attachment type → our attachment, by table. `fileRef` is the URL `downloadAttachment`
 * fetches: the largest photo size, the document URL, the voice message's OGG. Videos have no file
 * URL for community tokens, so their ref is the `video<owner>_<id>` id (not downloadable).
 */
const attachmentMappers: Readonly<Record<string, (item: MessageAttachment) => InboundAttachment | null>> = {
  photo: ({ photo }) => {
    const size = photo ? largest(photo.sizes) : undefined;
    return size ? { kind: 'photo', fileRef: size.url, mimeType: 'image/jpeg' } : null;
  },
  doc: ({ doc }) =>
    doc
      ? {
          kind: 'document',
          fileRef: doc.url,
          fileName: doc.title,
          ...(doc.size === undefined ? {} : { size: doc.size }),
        }
      : null,
  audio_message: ({ audio_message: voice }) => {
    const url = voice?.link_ogg ?? voice?.link_mp3;
    if (!url) return null;
    return { kind: 'voice', fileRef: url, mimeType: voice?.link_ogg ? 'audio/ogg' : 'audio/mpeg' };
  },
  video: ({ video }) => (video ? { kind: 'video', fileRef: `video${video.owner_id}_${video.id}` } : null),
  sticker: ({ sticker }) => {
    const image = sticker ? largest(sticker.images) : undefined;
    return image ? { kind: 'sticker', fileRef: image.url } : null;
  },
  audio: ({ audio }) => (audio?.url ? { kind: 'audio', fileRef: audio.url } : null),
};

const attachmentMapperByType = new Map(Object.entries(attachmentMappers));

/** The attachments of a message we can represent; unknown types (wall posts, polls…) are skipped. */
export function mapAttachments(items: readonly MessageAttachment[]): InboundAttachment[] {
  return items.flatMap((item) => {
    const mapped = attachmentMapperByType.get(item.type)?.(item) ?? null;
    return mapped ? [mapped] : [];
  });
}

/** A message's own attachments, its location, then the attachments of forwarded messages. */
export function attachmentsOf(message: IncomingMessage): InboundAttachment[] {
  const location: InboundAttachment[] = message.geo
    ? [
        {
          kind: 'location',
          latitude: message.geo.coordinates.latitude,
          longitude: message.geo.coordinates.longitude,
          ...(message.geo.place?.title ? { title: message.geo.place.title } : {}),
        },
      ]
    : [];
  const forwarded = message.fwd_messages.flatMap((item) => mapAttachments(item.attachments));
  return [...mapAttachments(message.attachments), ...location, ...forwarded];
}
