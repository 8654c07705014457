import { io, type Socket } from 'socket.io-client';

/** When each socket received each marked event: latencies are computed against the send times. */
export interface SocketCrowd {
  /** Starts recording a new run: events marked `bench:<runId>:<i>`, i < total. */
  arm(runId: string, total: number): void;
  /** Deliveries seen so far (events × sockets). */
  deliveries(): number;
  /** Milliseconds from send to receipt of every delivery of a marked event. */
  latencies(sentAt: Float64Array): number[];
  close(): void;
}

/**
 * `count` socket.io clients (websocket transport, as browsers end up) connected to `url`, each
 * recording when it received every `inbox` event whose text carries `marker(i)`.
 * `textOf(envelope)` picks the text to look in (for Vestnik: a message.created event's text).
 */
export async function connectCrowd(options: {
  url: string;
  count: number;
  headers?: Record<string, string>;
  /** socket.io handshake `auth` (Vestnik: `{ token }` of an operator session). */
  auth?: Record<string, string>;
  textOf: (envelope: unknown) => string | null;
  /** Resolves when a socket is ready (Vestnik: after its `session` event). */
  readyEvent?: string;
}): Promise<SocketCrowd> {
  let pattern = /^$/;
  let total = 0;
  let received: Float64Array[] = [];
  let deliveries = 0;
  const sockets: Socket[] = [];
  const ready: Promise<void>[] = [];
  for (let n = 0; n < options.count; n += 1) {
    const slot = n;
    const socket = io(options.url, {
      transports: ['websocket'],
      extraHeaders: options.headers ?? {},
      auth: options.auth ?? {},
      reconnection: false,
    });
    socket.on('inbox', (envelope: unknown) => {
      const match = pattern.exec(options.textOf(envelope) ?? '');
      const index = match ? Number(match[1]) : -1;
      const times = received[slot];
      if (times && index >= 0 && index < total && Number.isNaN(times[index])) {
        times[index] = performance.now();
        deliveries += 1;
      }
    });
    sockets.push(socket);
    ready.push(
      new Promise((resolve, reject) => {
        socket.once(options.readyEvent ?? 'connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      }),
    );
  }
  await Promise.all(ready);
  return {
    arm(runId, runTotal) {
      pattern = new RegExp(`bench:${runId}:(\\d+)`);
      total = runTotal;
      deliveries = 0;
      received = sockets.map(() => new Float64Array(runTotal).fill(Number.NaN));
    },
    deliveries: () => deliveries,
    latencies(sentAt) {
      const values: number[] = [];
      for (const times of received) {
        for (let i = 0; i < times.length; i += 1) {
          const at = times[i] as number;
          if (!Number.isNaN(at)) values.push(at - (sentAt[i] as number));
        }
      }
      return values;
    },
    close() {
      for (const socket of sockets) socket.disconnect();
    },
  };
}
