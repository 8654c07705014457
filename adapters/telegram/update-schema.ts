import { z } from 'zod';

/**
 * The parts of a Bot API `Update` the adapter reads (https://core.telegram.org/bots/api#update).
 * Objects are loose: Telegram adds fields over time and we ignore what we do not use.
 */
export const userSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

export const chatSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  title: z.string().optional(),
});

const fileSchema = z.looseObject({
  file_id: z.string().min(1),
  file_unique_id: z.string().optional(),
  file_size: z.number().int().optional(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});

const photoSizeSchema = fileSchema.extend({ width: z.number().int(), height: z.number().int() });

const stickerSchema = fileSchema.extend({
  is_animated: z.boolean().optional(),
  is_video: z.boolean().optional(),
});

export const messageSchema = z.looseObject({
  message_id: z.number().int(),
  from: userSchema.optional(),
  chat: chatSchema,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(photoSizeSchema).optional(),
  document: fileSchema.optional(),
  voice: fileSchema.optional(),
  video: fileSchema.optional(),
  audio: fileSchema.optional(),
  sticker: stickerSchema.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.looseObject({ title: z.string() }).optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() })
    .optional(),
  reply_to_message: z.looseObject({ message_id: z.number().int() }).optional(),
});

export const callbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: userSchema,
  message: z
    .looseObject({ message_id: z.number().int(), chat: chatSchema, date: z.number().int() })
    .optional(),
  inline_message_id: z.string().optional(),
  data: z.string().optional(),
});

export const chatMemberUpdatedSchema = z.looseObject({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: z.looseObject({ status: z.string() }),
  new_chat_member: z.looseObject({ status: z.string() }),
});

export const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export type TelegramUser = z.output<typeof userSchema>;
export type TelegramChat = z.output<typeof chatSchema>;
export type TelegramMessage = z.output<typeof messageSchema>;
export type TelegramCallbackQuery = z.output<typeof callbackQuerySchema>;
export type TelegramChatMemberUpdated = z.output<typeof chatMemberUpdatedSchema>;
