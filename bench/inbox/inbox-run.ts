import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot, spawnPortServer, stopChild } from '../child-process';
import { type CpuPinning, setUpCpuPinning } from '../cpu-pinning';
import type { OfferedCall } from '../notify/offered-load';
import { startVestnik } from '../vestnik-server';
import { benchViberWebhook, viberSignature } from '../webhook-target';
import { measureRun, type RunFigures } from './inbox-measure';
import { type InboxBenchOptions, InboxBenchUsageError, parseInboxOptions } from './inbox-options';
import { renderInboxMarkdown } from './inbox-report';
import { connectCrowd, type SocketCrowd } from './socket-crowd';

/**
 * `npm run bench -- inbox`: inbound webhook → operator socket event. For each offered rate, the
 * same open-loop load goes to three servers, each with the same number of connected sockets:
 * a bare socket.io server (HTTP POST → one emit to the room), the same with the Redis adapter,
 * and Vestnik (`vestnik start`: signed Viber webhooks → stored → ingested by the worker →
 * `message.created` to every operator socket of the workspace).
 */

const note = (line: string) => process.stderr.write(`${line}\n`);

interface Target {
  name: string;
  crowd: SocketCrowd;
  serverPid: number;
  helperPids: number[];
  call(runId: string, index: number): OfferedCall;
  stop(): Promise<void>;
}

/** A `message.created` envelope shaped like Vestnik's, so the bare servers push the same bytes. */
function sampleEnvelope(text: string) {
  return {
    seq: 1,
    type: 'message.created',
    conversationId: '6650f0c2a1b2c3d4e5f60718',
    operatorId: null,
    data: {
      id: '6650f0c2a1b2c3d4e5f60719',
      conversationId: '6650f0c2a1b2c3d4e5f60718',
      direction: 'inbound',
      kind: 'text',
      author: { type: 'contact', operatorId: null, name: 'Bench' },
      text,
      attachments: [],
      externalMessageId: '5741311803571721001',
      status: 'received',
      statusTimes: { sent: null, delivered: null, read: null, failed: null },
      failureReason: null,
      source: null,
      replyTo: null,
      payload: null,
      createdAt: new Date().toISOString(),
    },
    at: new Date().toISOString(),
  };
}

const benchText = (runId: string, index: number) => `Где мой заказ? bench:${runId}:${index}`;

async function bareTarget(name: string, redis: boolean, options: InboxBenchOptions, pinning: CpuPinning) {
  const server = await spawnPortServer('bare-socketio-server', pinning, {
    BENCH_REDIS_ADAPTER: redis ? '1' : '0',
  });
  const url = `http://127.0.0.1:${server.port}`;
  const crowd = await connectCrowd({
    url,
    count: options.sockets,
    textOf: (envelope) => (envelope as { data?: { text?: string } }).data?.text ?? null,
  });
  return {
    name,
    crowd,
    serverPid: server.child.pid ?? 0,
    helperPids: [],
    call: (runId: string, index: number) => ({
      url: `${url}/emit`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleEnvelope(benchText(runId, index))),
    }),
    async stop() {
      crowd.close();
      await stopChild(server.child, 5000);
    },
  } satisfies Target;
}

async function vestnikTarget(options: InboxBenchOptions, pinning: CpuPinning): Promise<Target> {
  const vestnik = await startVestnik({
    logLevel: options.vestnikLogLevel,
    note,
    pinning,
    role: 'start',
    env: { SANDBOX: 'off' },
  });
  try {
    const base = `http://127.0.0.1:${vestnik.port}`;
    const authToken = `bench-${randomBytes(8).toString('hex')}-viber-auth-token`;
    const webhook = await benchViberWebhook(base, vestnik.apiKey, authToken);
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(vestnik.local.operator),
    });
    const session = (await login.json()) as { token?: string };
    if (login.status !== 201 || !session.token)
      throw new Error(`bench: operator login failed (${login.status})`);
    const crowd = await connectCrowd({
      url: base,
      count: options.sockets,
      auth: { token: session.token },
      readyEvent: 'session',
      textOf: (envelope) => {
        const event = envelope as { type?: string; data?: { text?: string } };
        return event.type === 'message.created' ? (event.data?.text ?? null) : null;
      },
    });
    let token = 5_741_311_803_571_721_000n + BigInt(Date.now()) * 1000n;
    return {
      name: 'vestnik',
      crowd,
      serverPid: vestnik.pid,
      helperPids: vestnik.ferretPid ? [vestnik.ferretPid] : [],
      call(runId, index) {
        token += 1n;
        const sender = `bench${index % options.senders}AAAAAAAAAA==`;
        const name = `Покупатель ${index % options.senders}`;
        const text = JSON.stringify(benchText(runId, index));
        // Built by hand: message_token is a 64-bit integer, beyond what JSON.stringify keeps exact.
        const body = `{"event":"message","timestamp":${Date.now()},"message_token":${token},"sender":{"id":${JSON.stringify(sender)},"name":${JSON.stringify(name)}},"message":{"type":"text","text":${text}}}`;
        return {
          url: webhook,
          headers: {
            'content-type': 'application/json',
            'x-viber-content-signature': viberSignature(body, authToken),
          },
          body,
        };
      },
      async stop() {
        crowd.close();
        const { exit } = await vestnik.stop();
        note(`vestnik start ${exit}`);
      },
    };
  } catch (error) {
    await vestnik.stop();
    throw error;
  }
}

async function runAll(options: InboxBenchOptions, pinning: CpuPinning): Promise<RunFigures[]> {
  const targets: Target[] = [];
  const figures: RunFigures[] = [];
  try {
    note(`connecting ${options.sockets} sockets to each server…`);
    targets.push(await bareTarget('bare socket.io', false, options, pinning));
    targets.push(await bareTarget('bare socket.io + Redis adapter', true, options, pinning));
    targets.push(await vestnikTarget(options, pinning));
    for (const rate of options.rates) {
      for (const target of targets) {
        const runId = randomBytes(4).toString('hex');
        target.crowd.arm(runId, Math.round(rate * options.seconds));
        figures.push(
          await measureRun({
            target: target.name,
            rate,
            seconds: options.seconds,
            drainSeconds: options.drainSeconds,
            crowd: target.crowd,
            sockets: options.sockets,
            serverPid: target.serverPid,
            helperPids: target.helperPids,
            call: (index) => target.call(runId, index),
            note,
          }),
        );
      }
    }
  } finally {
    for (const target of targets) await target.stop().catch((error: unknown) => note(String(error)));
  }
  return figures;
}

export async function runInboxBench(argv: string[]): Promise<void> {
  let options: InboxBenchOptions;
  try {
    options = parseInboxOptions(argv);
  } catch (error) {
    if (error instanceof InboxBenchUsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const pinning = setUpCpuPinning();
  const figures = await runAll(options, pinning);
  const command = ['npm run bench -- inbox', ...argv].join(' ');
  const markdown = renderInboxMarkdown({ command, options, pinning, figures, at: new Date() });
  const name = `inbox-${options.label ?? 'latest'}`;
  const dir = path.join(packageRoot, 'bench', 'results');
  await writeFile(path.join(dir, `${name}.md`), markdown);
  await writeFile(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ command, options, figures }, null, 2)}\n`,
  );
  process.stdout.write(`\n${markdown}\nWritten: bench/results/${name}.md, ${name}.json\n`);
}
