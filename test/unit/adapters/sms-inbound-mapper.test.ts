import { encodings, PDU } from 'smpp';
import {
  type DeliverMapping,
  type InboundState,
  type MoOrigin,
  mapDeliverSm,
} from '../../../adapters/sms/inbound-mapper';
import { MoEventKeys } from '../../../adapters/sms/mo-event-key';
import { MoReassembler } from '../../../adapters/sms/mo-reassembly';
import { PartIdMap } from '../../../adapters/sms/part-id-map';
import moConcatenated from '../../fixtures/sms/mo-concatenated-ucs2.json';
import moText from '../../fixtures/sms/mo-text.json';
import receiptDelivered from '../../fixtures/sms/receipt-delivered.json';
import receiptEnroute from '../../fixtures/sms/receipt-enroute.json';
import receiptTlvs from '../../fixtures/sms/receipt-seconds-with-tlvs.json';
import receiptUndeliverable from '../../fixtures/sms/receipt-undeliverable.json';

/** Encodes fixture fields to wire bytes and decodes them back, as the adapter receives a PDU. */
const overTheWire = (fields: Record<string, unknown>): PDU =>
  new PDU(new PDU('deliver_sm', { sequence_number: 7, ...fields }).toBuffer());

const partPdu = (part: (typeof moConcatenated.parts)[number]): PDU => {
  const { udhHex, text, ...fields } = part;
  return overTheWire({
    ...fields,
    short_message: Buffer.concat([Buffer.from(udhHex, 'hex'), encodings.UCS2.encode(text)]),
  });
};

const now = new Date('2026-03-01T12:00:00Z');
const incomplete: Array<{ origin: MoOrigin; text: string }> = [];
const newState = (): InboundState => ({
  ids: new PartIdMap(),
  keys: new MoEventKeys(600_000, () => now.getTime()),
  reassembler: new MoReassembler<MoOrigin>({
    timeoutMs: 60_000,
    maxPending: 10,
    onIncomplete: (origin, text) => incomplete.push({ origin, text }),
  }),
  now: () => now,
});
const eventsOf = (mapping: DeliverMapping) => (mapping.kind === 'events' ? mapping.events : []);

describe('sms inbound mapper: deliver_sm fixtures → normalized events', () => {
  let state: InboundState;
  beforeEach(() => {
    state = newState();
  });
  afterEach(() => state.reassembler.clear());

  it('maps a DELIVRD receipt to delivered, keyed dlr:<id>:<stat>, dated by its done date', () => {
    expect(eventsOf(mapDeliverSm(overTheWire(receiptDelivered.fields), state))).toEqual([
      {
        type: 'status-update',
        eventKey: 'dlr:0000000012345678:DELIVRD',
        externalMessageId: '0000000012345678',
        status: 'delivered',
        recipient: { externalUserId: '+447700900001', phone: '+447700900001' },
        occurredAt: new Date('2016-01-01T01:01:00Z'),
      },
    ]);
  });

  it('maps UNDELIV to undelivered with the reason and the error code', () => {
    const [event] = eventsOf(mapDeliverSm(overTheWire(receiptUndeliverable.fields), state));
    expect(event).toMatchObject({
      type: 'status-update',
      eventKey: 'dlr:0911897980:UNDELIV',
      status: 'undelivered',
      reason: 'UNDELIV: the network could not deliver it (err:075)',
    });
  });

  it('prefers the receipted_message_id / message_state TLVs and reads YYMMDDhhmmss dates', () => {
    const [event] = eventsOf(mapDeliverSm(overTheWire(receiptTlvs.fields), state));
    expect(event).toMatchObject({
      eventKey: 'dlr:64567564356765435676:DELIVRD',
      status: 'delivered',
      occurredAt: new Date('2019-06-08T16:52:37Z'),
    });
  });

  it('maps a receipt for any part to the first part’s id through the part map', () => {
    state.ids.link('0000000012345678', 'first-part-id');
    const [event] = eventsOf(mapDeliverSm(overTheWire(receiptDelivered.fields), state));
    expect(event).toMatchObject({
      externalMessageId: 'first-part-id',
      eventKey: 'dlr:0000000012345678:DELIVRD',
    });
  });

  it('ignores an intermediate ENROUTE notification', () => {
    expect(mapDeliverSm(overTheWire(receiptEnroute.fields), state)).toEqual({
      kind: 'ignored',
      reason: 'intermediate state ENROUTE',
    });
  });

  it('maps a MO text to an inbound-message from +<source_addr>', () => {
    const [event] = eventsOf(mapDeliverSm(overTheWire(moText.fields), state));
    expect(event).toEqual({
      type: 'inbound-message',
      eventKey: expect.stringMatching(/^mo:46709771337:[0-9a-f]{24}-[0-9a-z]+$/),
      externalMessageId: expect.any(String),
      from: { externalUserId: '+46709771337', phone: '+46709771337' },
      conversationId: '+46709771337',
      text: 'Hello!',
      attachments: [],
      occurredAt: now,
    });
  });

  it('gives the same MO delivered again the same key, and uses an SMSC id TLV when there is one', () => {
    const first = eventsOf(mapDeliverSm(overTheWire(moText.fields), state));
    const again = eventsOf(mapDeliverSm(overTheWire(moText.fields), state));
    expect(again[0]?.eventKey).toBe(first[0]?.eventKey);
    const withId = eventsOf(
      mapDeliverSm(overTheWire({ ...moText.fields, receipted_message_id: 'mo-77' }), state),
    );
    expect(withId[0]?.eventKey).toBe('mo:46709771337:mo-77');
  });

  it('reassembles a concatenated UCS-2 MO (parts in any order) into one event', () => {
    const [first, second] = moConcatenated.parts;
    if (!first || !second) throw new Error('fixture has two parts');
    expect(mapDeliverSm(partPdu(second), state)).toEqual({ kind: 'held', reason: 'part 2 of 2' });
    const [event] = eventsOf(mapDeliverSm(partPdu(first), state));
    expect(event).toMatchObject({
      type: 'inbound-message',
      text: 'Здравствуйте! Хочу перенести доставку на завтра, после 18:00, если можно.',
      from: { phone: '+79161234567' },
    });
    const redelivered = eventsOf(mapDeliverSm(partPdu(second), state));
    expect(redelivered[0]?.eventKey).toBe(event?.eventKey);
  });

  it('hands an incomplete concatenated MO on with the gap marked when the rest never comes', () => {
    jest.useFakeTimers();
    try {
      const timed = newState();
      const [first] = moConcatenated.parts;
      if (!first) throw new Error('fixture has parts');
      expect(mapDeliverSm(partPdu(first), timed).kind).toBe('held');
      jest.advanceTimersByTime(60_001);
      expect(incomplete.at(-1)).toEqual({
        origin: { source: '79161234567', destination: '4567', dataCoding: 8 },
        text: `${first.text}[…]`,
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers unknown deliver_sm message types as unsupported', () => {
    expect(mapDeliverSm(overTheWire({ ...moText.fields, esm_class: 0x18 }), state)).toEqual({
      kind: 'unsupported',
      reason: 'esm_class message type 0x18',
    });
  });
});
