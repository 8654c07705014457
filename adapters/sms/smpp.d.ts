/**
 * Types for the parts of `smpp` 0.5.1 (node-smpp, untyped on npm) Vestnik uses: sessions, the
 * server, PDUs and the GSM 03.38 / UCS-2 encoders. Field names are the SMPP specification's, as the
 * package uses them. Ambient, so the SMSC simulator (src/sandbox/platforms/sms) shares it.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** `short_message` / `message_payload` as the package decodes them. */
  export interface DecodedMessage {
    /** Information elements of the UDH, each `[iei, length, ...data]`. */
    udh?: Buffer[];
    message: string | Buffer;
  }

  /** A PDU: header fields plus the command's parameters and TLVs, by their specification names. */
  export class PDU {
    constructor(command: string | Buffer, options?: Record<string, unknown>);
    static fromBuffer(buffer: Buffer): PDU | false;
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
    [field: string]: unknown;
  }

  export interface SessionEvents {
    pdu: [pdu: PDU];
    connect: [];
    close: [];
    error: [error: Error];
  }

  export class Session extends EventEmitter {
    readonly socket: Socket;
    server?: Server;
    /** Sends a PDU; requests get a sequence number and `onResponse` is called with the answer. */
    send(pdu: PDU, onResponse?: (response: PDU) => void, onSent?: (pdu: PDU) => void): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export class Server extends NetServer {
    readonly sessions: Session[];
  }

  export interface ConnectOptions {
    host: string;
    port: number;
    tls?: boolean;
    /** Not used by Vestnik: the adapter runs its own enquire_link timer to detect dead links. */
    auto_enquire_link_period?: number;
  }

  export function connect(options: ConnectOptions, listener?: () => void): Session;
  export function createServer(listener?: (session: Session) => void): Server;

  /** One of the package's text codecs (`encodings.ASCII` is GSM 03.38, one septet per octet). */
  export interface TextEncoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }
  export const encodings: { ASCII: TextEncoding; LATIN1: TextEncoding; UCS2: TextEncoding };

  /** The GSM 03.38 tables behind `encodings.ASCII` (`getCoder(0)` is the default alphabet). */
  export const gsmCoder: {
    getCoder(nationalTable: number): {
      charListEnc: Record<string, number>;
      extCharListEnc: Record<string, string>;
    };
  };

  /** `command_status` values by name (ESME_ROK, ESME_RTHROTTLED, …). */
  export const errors: Readonly<Record<string, number>>;
}
