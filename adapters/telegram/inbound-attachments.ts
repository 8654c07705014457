import type { InboundAttachment } from '../contract';
import type { TelegramMessage } from './update-schema';

type FileFields = { file_id: string; file_size?: number | undefined };
type Extractor = (message: TelegramMessage) => InboundAttachment | null;

const sizeOf = (file: FileFields): { size?: number } =>
  file.file_size === undefined ? {} : { size: file.file_size };

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/** Telegram sends each photo in several sizes; the last is the largest, but we compare to be sure. */
function largestPhoto(message: TelegramMessage): InboundAttachment | null {
  const sizes = message.photo ?? [];
  if (sizes.length === 0) return null;
  const area = (size: (typeof sizes)[number]): number => size.file_size ?? size.width * size.height;
  const largest = sizes.reduce((best, size) => (area(size) > area(best) ? size : best));
  // Photos are stored re-encoded as JPEG by Telegram.
  return { kind: 'photo', fileRef: largest.file_id, mimeType: 'image/jpeg', ...sizeOf(largest) };
}

const stickerMime = (sticker: NonNullable<TelegramMessage['sticker']>): string => {
  if (sticker.is_video) return 'video/webm';
  return sticker.is_animated ? 'application/x-tgsticker' : 'image/webp';
};

const fileOf =
  (
    kind: 'document' | 'voice' | 'video' | 'audio',
    key: 'document' | 'voice' | 'video' | 'audio',
  ): Extractor =>
  (message) => {
    const file = message[key];
    if (!file) return null;
    return {
      kind,
      fileRef: file.file_id,
      ...optional('fileName', file.file_name),
      ...optional('mimeType', file.mime_type),
      ...sizeOf(file),
    };
  };

/**
 * One extractor per Message field that carries an attachment
 * (https://core.telegram.org/bots/api#message). Fields not listed (polls, dice, games…) carry no
 * attachment we keep.
 */
const attachmentExtractors: readonly Extractor[] = [
  largestPhoto,
  fileOf('document', 'document'),
  fileOf('voice', 'voice'),
  fileOf('video', 'video'),
  fileOf('audio', 'audio'),
  (message) =>
    message.sticker
      ? {
          kind: 'sticker',
          fileRef: message.sticker.file_id,
          mimeType: stickerMime(message.sticker),
          ...sizeOf(message.sticker),
        }
      : null,
  (message) =>
    message.location
      ? {
          kind: 'location',
          latitude: message.location.latitude,
          longitude: message.location.longitude,
          ...optional('title', message.venue?.title),
        }
      : null,
  (message) => {
    const contact = message.contact;
    if (!contact) return null;
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
    return { kind: 'contact', name, phone: contact.phone_number };
  },
];

/** Every attachment a message carries, normalized. */
export function attachmentsOf(message: TelegramMessage): InboundAttachment[] {
  return attachmentExtractors
    .map((extract) => extract(message))
    .filter((attachment): attachment is InboundAttachment => attachment !== null);
}
