import { createHash } from 'node:crypto';

/** The domain part of an address, lower-cased (`Noreply@Shop.Example` → `shop.example`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const digest = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * The RFC 5322 `Message-ID` for one of our messages: `<vestnik.{32 hex}@{from-domain}>`, the hex
 * being the first 128 bits of SHA-256 of our message id. Deterministic on purpose: a send retried
 * after a timeout (when the first attempt may have been accepted after all) carries the same
 * Message-ID, so the recipient's mailbox and our logs can tell it is the same message (Gmail
 * shows one copy of messages that share a Message-ID). Hashing keeps our id format out of the
 * header and always yields a valid `id-left` (dot-atom-text, RFC 5322 §3.6.4).
 */
export function messageIdFor(ourMessageId: string, fromAddress: string): string {
  return `<vestnik.${digest(ourMessageId).slice(0, 32)}@${domainOf(fromAddress)}>`;
}

/** Content-ID of the `index`-th inline image of a message, unique per message and domain. */
export function imageContentId(ourMessageId: string, index: number, fromAddress: string): string {
  return `image${index + 1}.${digest(ourMessageId).slice(0, 16)}@${domainOf(fromAddress)}`;
}
