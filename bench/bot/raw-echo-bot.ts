import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/**
 * The ceiling for inbound → bot reply: a Telegram bot on bare `node:http`, no framework, no
 * storage, no queue. It checks the webhook's secret token, answers 200, and at once calls the Bot
 * API's `sendMessage` to the chat the update came from with a fixed answer. Vestnik's reply
 * latency is measured against this one's under the same load, through the same sandbox.
 *
 * Env: BENCH_API_ROOT (`<sandbox>/telegram`), BENCH_BOT_TOKEN, BENCH_SECRET_TOKEN.
 */
const apiRoot = process.env.BENCH_API_ROOT ?? '';
const sendUrl = `${apiRoot}/bot${process.env.BENCH_BOT_TOKEN ?? ''}/sendMessage`;
const secret = Buffer.from(process.env.BENCH_SECRET_TOKEN ?? '');
const answer = 'Доставка по Москве — 1–2 дня, бесплатно от 3000 ₽.';

function authorized(header: string | string[] | undefined): boolean {
  const given = Buffer.from(typeof header === 'string' ? header : '');
  return given.length === secret.length && timingSafeEqual(given, secret);
}

async function reply(update: { message?: { chat?: { id?: number } } }): Promise<void> {
  const chatId = update.message?.chat?.id;
  if (chatId === undefined) return;
  const response = await fetch(sendUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text: answer }),
  });
  await response.arrayBuffer();
  if (response.status !== 200)
    process.stderr.write(`raw-echo-bot: sendMessage answered ${response.status}\n`);
}

const server = http.createServer((req, res) => {
  if (!authorized(req.headers['x-telegram-bot-api-secret-token'])) return void res.writeHead(401).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200).end();
    try {
      reply(JSON.parse(Buffer.concat(chunks).toString('utf8'))).catch((error: unknown) =>
        process.stderr.write(`raw-echo-bot: ${String(error)}\n`),
      );
    } catch (error) {
      process.stderr.write(`raw-echo-bot: bad update: ${String(error)}\n`);
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
