import type { DecodedMessage, PDU } from 'smpp';
import type { NormalizedEvent, PlatformUser } from '../contract';
import { messageStateStat, parseDeliveryReceipt, receiptStatus } from './delivery-receipt';
import type { MoEventKeys } from './mo-event-key';
import { concatenationOf, type MoReassembler, messageText } from './mo-reassembly';
import type { PartIdMap } from './part-id-map';

/** What a deliver_sm became: events to emit, a part held for reassembly, or nothing to report. */
export type DeliverMapping =
  | { kind: 'events'; events: NormalizedEvent[] }
  | { kind: 'held'; reason: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unsupported'; reason: string };

/** The sender, recipient and coding of an MO message, kept with parts awaiting the rest. */
export interface MoOrigin {
  source: string;
  destination: string;
  dataCoding: number;
}

export interface InboundState {
  ids: PartIdMap;
  keys: MoEventKeys;
  reassembler: MoReassembler<MoOrigin>;
  now(): Date;
}

type DeliverMapper = (pdu: PDU, state: InboundState) => DeliverMapping;

/** `esm_class` bits 2–5: the message type of a deliver_sm (SMPP 3.4 §5.2.12). */
const messageTypeMask = 0x3c;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const payloadOf = (pdu: PDU): DecodedMessage | undefined =>
  (pdu.message_payload as DecodedMessage | undefined) ?? (pdu.short_message as DecodedMessage | undefined);

/** A phone-number sender as E.164; alphanumeric senders are kept as they are. */
export function platformUserOf(address: string): PlatformUser {
  if (!/^\d{3,15}$/.test(address)) return { externalUserId: address };
  const phone = `+${address}`;
  return { externalUserId: phone, phone };
}

/** Builds the inbound-message event for a whole MO text. */
export function moEvent(
  origin: MoOrigin,
  text: string,
  state: InboundState,
  smscId?: string,
): NormalizedEvent {
  const { eventKey, messageId } = state.keys.keyFor({ ...origin, text, smscId });
  const from = platformUserOf(origin.source);
  return {
    type: 'inbound-message',
    eventKey,
    externalMessageId: messageId,
    from,
    conversationId: from.externalUserId,
    text,
    attachments: [],
    occurredAt: state.now(),
  };
}

const mapReceipt: DeliverMapper = (pdu, state) => {
  const parsed = parseDeliveryReceipt(messageText(payloadOf(pdu)));
  const id = str(pdu.receipted_message_id) || parsed?.id;
  const stat = messageStateStat[Number(pdu.message_state)] ?? parsed?.stat;
  if (!id || !stat) return { kind: 'unsupported', reason: 'receipt without message id or state' };
  const outcome = receiptStatus[stat];
  if (outcome === undefined) return { kind: 'unsupported', reason: `receipt state ${stat}` };
  if (outcome === null) return { kind: 'ignored', reason: `intermediate state ${stat}` };
  const err = parsed?.err && parsed.err !== '000' ? ` (err:${parsed.err})` : '';
  const event: NormalizedEvent = {
    type: 'status-update',
    eventKey: `dlr:${id}:${stat}`,
    externalMessageId: state.ids.resolve(id),
    status: outcome.status,
    ...(outcome.reason ? { reason: `${outcome.reason}${err}` } : {}),
    recipient: platformUserOf(str(pdu.source_addr)),
    occurredAt: parsed?.doneDate ?? state.now(),
  };
  return { kind: 'events', events: [event] };
};

const mapMo: DeliverMapper = (pdu, state) => {
  const payload = payloadOf(pdu);
  const origin: MoOrigin = {
    source: str(pdu.source_addr),
    destination: str(pdu.destination_addr),
    dataCoding: Number(pdu.data_coding ?? 0),
  };
  const text = messageText(payload);
  const smscId = str(pdu.receipted_message_id) || undefined;
  const part = concatenationOf(payload?.udh, pdu);
  if (!part) return { kind: 'events', events: [moEvent(origin, text, state, smscId)] };
  const key = [origin.source, origin.destination, part.reference, part.total].join('|');
  const whole = state.reassembler.add(key, part, text, origin);
  if (!whole) return { kind: 'held', reason: `part ${part.seq} of ${part.total}` };
  return { kind: 'events', events: [moEvent(origin, whole.text, state)] };
};

const ignore =
  (reason: string): DeliverMapper =>
  () => ({ kind: 'ignored', reason });

/** deliver_sm message types Vestnik understands; anything else is `unsupported` (and still acknowledged). */
const mappers: Readonly<Record<number, DeliverMapper>> = {
  0: mapMo,
  4: mapReceipt,
  8: ignore('SME delivery acknowledgement'),
  16: ignore('SME manual/user acknowledgement'),
  32: mapReceipt,
};

/** Maps a deliver_sm (MO message or delivery receipt) to normalized events. */
export function mapDeliverSm(pdu: PDU, state: InboundState): DeliverMapping {
  const messageType = Number(pdu.esm_class ?? 0) & messageTypeMask;
  const mapper = mappers[messageType];
  return mapper
    ? mapper(pdu, state)
    : { kind: 'unsupported', reason: `esm_class message type 0x${messageType.toString(16)}` };
}
