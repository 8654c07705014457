/**
 * Bot API objects as the simulator produces them, field names exactly as in
 * https://core.telegram.org/bots/api#available-types (only the fields the sandbox fills).
 * Defined here rather than imported from telegraf: the core never imports a platform SDK.
 */
export interface WireUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface WireChat {
  id: number;
  type: 'private';
  first_name: string;
  last_name?: string;
}

interface WireFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
}

export interface WirePhotoSize extends WireFile {
  width: number;
  height: number;
}

export interface WireDocument extends WireFile {
  file_name: string;
  mime_type: string;
}

export interface WireVoice extends WireFile {
  duration: number;
  mime_type: string;
}

export interface WireVideo extends WireFile {
  width: number;
  height: number;
  duration: number;
  file_name: string;
  mime_type: string;
}

export interface WireInlineButton {
  text: string;
  url?: string;
  callback_data?: string;
}

export interface WireInlineKeyboard {
  inline_keyboard: WireInlineButton[][];
}

export interface WireMessageEntity {
  type: 'bot_command';
  offset: number;
  length: number;
}

export interface WireMessage {
  message_id: number;
  from: WireUser;
  chat: WireChat;
  date: number;
  text?: string;
  entities?: WireMessageEntity[];
  caption?: string;
  photo?: WirePhotoSize[];
  document?: WireDocument;
  voice?: WireVoice;
  video?: WireVideo;
  reply_to_message?: WireMessage;
  reply_markup?: WireInlineKeyboard;
}

export interface WireCallbackQuery {
  id: string;
  from: WireUser;
  message: WireMessage;
  chat_instance: string;
  data: string;
}

export interface WireChatMemberUpdated {
  chat: WireChat;
  from: WireUser;
  date: number;
  old_chat_member: { user: WireUser; status: 'kicked' | 'member'; until_date?: number };
  new_chat_member: { user: WireUser; status: 'kicked' | 'member'; until_date?: number };
}

/** The update types the simulator produces. */
export type WireUpdatePayload =
  | { message: WireMessage }
  | { callback_query: WireCallbackQuery }
  | { my_chat_member: WireChatMemberUpdated };

export type WireUpdate = { update_id: number } & WireUpdatePayload;

/** https://core.telegram.org/bots/api#making-requests: every answer is this envelope. */
export type WireAnswer =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };
