import type { PDU } from 'smpp';
import {
  type AdapterContext,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ConnectResult,
  type NormalizedEvent,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  rejected,
  retryable,
  type SendOptions,
  type SendResult,
  sent,
  validateContent,
  type WebhookResult,
} from '../contract';
import { smsCapabilities } from './capabilities';
import { type SmsConfig, senderAddress } from './config-schema';
import { mapCommandStatus, statusName } from './error-mapping';
import {
  type DeliverMapping,
  type InboundState,
  type MoOrigin,
  mapDeliverSm,
  moEvent,
} from './inbound-mapper';
import { partLimits } from './message-encoding';
import { MoEventKeys } from './mo-event-key';
import { MoReassembler } from './mo-reassembly';
import { renderSubmits, type SubmitSmFields } from './outbound-renderer';
import { PartIdMap } from './part-id-map';
import { type RequestOutcome, SmppConnection } from './smpp-connection';

const e164 = /^\+[1-9]\d{7,14}$/;
/** How long parts of a concatenated MO wait for the rest before the text is handed on with gaps. */
const reassemblyTimeoutMs = 5 * 60_000;

/** An SMPP transceiver bind behind the channel contract. */
export class SmsAdapter implements ChannelAdapter {
  readonly kind = 'sms' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly connection: SmppConnection;
  private readonly inbound: InboundState;

  constructor(
    private readonly config: SmsConfig,
    private readonly context: AdapterContext,
  ) {
    this.capabilities = smsCapabilities(config);
    this.inbound = {
      ids: new PartIdMap(),
      keys: new MoEventKeys(),
      reassembler: new MoReassembler<MoOrigin>({
        timeoutMs: reassemblyTimeoutMs,
        maxPending: 1_000,
        onIncomplete: (origin, text) => void this.emit([moEvent(origin, text, this.inbound)]),
      }),
      now: () => new Date(),
    };
    this.connection = new SmppConnection({
      host: config.host,
      port: config.port,
      bind: { system_id: config.systemId, password: config.password, system_type: config.systemType ?? '' },
      enquireLinkMs: config.enquireLinkSeconds * 1_000,
      requestTimeoutMs: context.requestTimeoutMs,
      logger: context.logger,
      onDeliver: (pdu) => this.onDeliver(pdu),
    });
  }

  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    if (recipient.kind !== 'phone' || !e164.test(recipient.phone))
      return permanent('recipient-invalid', 'SMS goes to an E.164 phone number, e.g. +79161234567');
    const rendered = renderSubmits(
      {
        text: content.text,
        phone: recipient.phone,
        sender: senderAddress(this.config),
        messageId: options.messageId,
        ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      },
      this.config.maxParts,
    );
    if (!rendered.ok) return this.tooManyParts(rendered.partCount);
    return this.submitParts(rendered.parts);
  }

  async handleWebhook(): Promise<WebhookResult> {
    return rejected(400, 'SMPP delivers over the bind');
  }

  async connect(): Promise<ConnectResult> {
    const outcome = await this.connection.open();
    if (outcome.kind === 'bound') return { webhook: 'not-needed' };
    if (outcome.kind === 'refused')
      return { webhook: 'failed', detail: `the SMSC refused the bind: ${statusName(outcome.status)}` };
    return { webhook: 'failed', detail: `${outcome.reason}; reconnecting in the background` };
  }

  async close(): Promise<void> {
    this.inbound.reassembler.clear();
    await this.connection.close();
  }

  private tooManyParts(partCount: number): SendResult {
    const limit = this.config.maxParts;
    const detail = `text needs ${partCount} UCS-2 parts of ${partLimits.ucs2.multi} characters: exceeds text.maxParts = ${limit}`;
    return permanent('content-too-long', detail, 'text.maxParts');
  }

  /** Submits the parts in order; the first part's message_id is the message's id. */
  private async submitParts(parts: readonly SubmitSmFields[]): Promise<SendResult> {
    let firstId: string | null = null;
    for (const part of parts) {
      const outcome = await this.connection.request('submit_sm', part, (response) => {
        const partId = String(response.message_id ?? '');
        if (response.command_status === 0 && partId) this.inbound.ids.link(partId, firstId ?? partId);
      });
      const failure = this.failureOf(outcome);
      if (failure) return failure;
      firstId ??= String((outcome as Extract<RequestOutcome, { kind: 'response' }>).pdu.message_id);
    }
    return firstId ? sent(firstId) : retryable('the SMSC returned no message_id');
  }

  private failureOf(outcome: RequestOutcome): Extract<SendResult, { ok: false }> | null {
    if (outcome.kind === 'timeout') return retryable('no submit_sm_resp in time', 'timeout');
    if (outcome.kind === 'connection-lost')
      return retryable('SMPP link lost during submit', 'connection-lost');
    if (outcome.kind === 'not-bound') {
      if (outcome.refusedStatus !== null) return mapCommandStatus(outcome.refusedStatus);
      return retryable('not bound to the SMSC', 'not-bound');
    }
    if (outcome.pdu.command_status !== 0) return mapCommandStatus(outcome.pdu.command_status);
    if (!outcome.pdu.message_id) return retryable('the SMSC returned no message_id');
    return null;
  }

  private async onDeliver(pdu: PDU): Promise<void> {
    const mapping: DeliverMapping = mapDeliverSm(pdu, this.inbound);
    if (mapping.kind === 'events') return this.context.emit(mapping.events);
    const level = mapping.kind === 'unsupported' ? 'warn' : 'debug';
    this.context.logger[level](
      { outcome: mapping.kind, reason: mapping.reason },
      'sms: deliver_sm not emitted',
    );
  }

  private async emit(events: NormalizedEvent[]): Promise<void> {
    try {
      await this.context.emit(events);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.context.logger.error({ err: reason }, 'sms: incomplete MO message not stored');
    }
  }
}
