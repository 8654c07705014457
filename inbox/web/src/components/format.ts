const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Today: 14:05; earlier: 3 Mar. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const now = new Date();
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayFormat.format(date);
}

export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}

export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : fullFormat.format(date);
}

export function fileSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const channelNames: Record<string, string> = {
  vk: 'VK',
  'vk-notify': 'VK notify',
  ok: 'OK',
  'ok-notify': 'OK notify',
  telegram: 'Telegram',
  viber: 'Viber',
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'E-mail',
};

export function channelLabel(type: string): string {
  return channelNames[type] ?? type;
}

/** The contact's name, else phone, else who they are by channel ("VK customer"). */
export function contactName(conversation: {
  contact: { name: string | null; phone: string | null };
  channel: { type: string };
}): string {
  const { contact } = conversation;
  return contact.name?.trim() || contact.phone || `${channelLabel(conversation.channel.type)} customer`;
}

export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

/** UTF-8 byte length, as channels count it. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
