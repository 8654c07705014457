import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { eventually } from '../contract/helpers/sandbox-control';
import {
  type E2eService,
  json,
  type LocalFile,
  type Received,
  root,
  shot,
  startE2eService,
  wait,
} from './e2e-service';

/**
 * The bot in a real browser against a real `vestnik start`, whose demo workspace runs the shipped
 * shop FAQ on its channels: a Telegram user asks about delivery and gets the bot's answer with
 * buttons; the operator sees the conversation with the Bot badge and the answer with its buttons;
 * the user writes gibberish until the bot hands over; the operator sees the hand-off line, answers,
 * and the user gets the answer with no more bot replies; the Bot panel reports the gibberish; an
 * admin rolls an uploaded flow back to its first version.
 */
jest.setTimeout(240_000);

const FLOW = 'shop-faq';
const GIBBERISH = 'Флюгегехаймен кракозябра трямс?';
/** The start of the shop FAQ's `delivery-cost` answer. */
const DELIVERY_COST = 'Доставка курьером по Москве';

interface ThreadMessage {
  id: string;
  kind: string;
  direction: string;
  author: { type: string; name: string | null };
  text: string;
  createdAt: string;
}

let stack: E2eService | undefined;

beforeAll(async () => {
  stack = await startE2eService();
});

afterAll(async () => {
  await stack?.stop();
});

function started(): E2eService {
  if (!stack) throw new Error('the service did not start');
  return stack;
}

/** How many misses in a row the shipped flow tolerates before it hands over. */
async function missesBeforeHandoff(): Promise<number> {
  const source = parse(await readFile(path.join(root, 'bot-flows', 'examples', `${FLOW}.yaml`), 'utf8')) as {
    handoff?: { afterMisses?: number };
  };
  return source.handoff?.afterMisses ?? 3;
}

/** The demo's Telegram user: what they received, and how they write to the business. */
function telegramUser(local: LocalFile) {
  const user = local.sandbox.users[0];
  if (!user) throw new Error('the demo sandbox has no virtual user');
  const { control } = local.sandbox;
  return {
    async received(): Promise<Received[]> {
      const answer = await json<{ received: Received[] }>(
        `${control}/users/${user.id}/received?platform=telegram`,
      );
      return answer.body.received;
    },
    async say(text: string): Promise<void> {
      const sent = await json(`${control}/users/${user.id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ platform: 'telegram', text }),
      });
      expect(sent.status).toBe(201);
    },
  };
}

/** The user's next received message after the first `seen` (waits for it). */
async function nextReceived(user: ReturnType<typeof telegramUser>, seen: number, what: string) {
  return eventually(async () => (await user.received())[seen], what, wait.timeout);
}

function isBotReply(message: ThreadMessage): boolean {
  return message.author.type === 'bot' && message.kind !== 'event';
}

async function logIn(page: Page, base: string, operator: LocalFile['demo']['operator']): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByTestId('login-email').fill(operator.email);
  await page.getByTestId('login-password').fill(operator.password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor(wait);
}

/** The operator sends `text` from the open thread; resolves once the user has it in Telegram. */
async function answerAsOperator(
  page: Page,
  user: ReturnType<typeof telegramUser>,
  seen: number,
  text: string,
): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  await eventually(
    async () => (await user.received()).slice(seen).find((message) => message.text === text),
    `the operator’s «${text}» in Telegram`,
    wait.timeout,
  );
}

/** Uploads a version of a small SMS-only flow (YAML, as `POST /v1/bot-flows` takes it). */
async function uploadFlow(local: LocalFile, name: string, answer: string): Promise<void> {
  const source = [
    `flow: ${name}`,
    'channels: [sms]',
    'faq:',
    '  - id: hello',
    '    questions: [Привет]',
    `    answer: ${answer}`,
  ].join('\n');
  const res = await fetch(`${local.urls.api}/bot-flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${local.demo.apiKey}`, 'content-type': 'application/yaml' },
    body: source,
  });
  expect(res.status).toBe(201);
}

async function threadOf(local: LocalFile, conversationId: string): Promise<ThreadMessage[]> {
  const answer = await json<{ items: ThreadMessage[] }>(
    `${local.urls.api}/conversations/${conversationId}/messages?limit=50`,
    { token: local.demo.apiKey },
  );
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('the bot in the operator inbox', () => {
  it('answers with buttons, hands over after misses, stays quiet for the operator, reports what it missed, and rolls a flow back', async () => {
    const { local, base } = started();
    // The demo runs the shipped shop FAQ from its flows folder.
    const flows = await json<{ items: Array<{ name: string; origin: string; enabled: boolean }> }>(
      `${local.urls.api}/bot-flows`,
      { token: local.demo.apiKey },
    );
    expect(flows.status).toBe(200);
    expect(flows.body.items.find((flow) => flow.name === FLOW)).toMatchObject({
      origin: 'folder',
      enabled: true,
    });
    const user = telegramUser(local);
    const page = await started().newPage();
    await logIn(page, base, local.demo.operator);

    // 1. A Telegram user asks what delivery costs: the bot greets and answers, with inline buttons.
    expect(await user.received()).toEqual([]);
    await user.say('сколько стоит доставка?');
    const answer = await eventually(
      async () => (await user.received()).find((message) => message.text.includes(DELIVERY_COST)),
      'the bot’s answer in Telegram',
      wait.timeout,
    );
    expect(answer.buttons.map((button) => [button.kind, button.label])).toEqual([
      ['callback', 'Сроки доставки'],
      ['callback', 'Пункты выдачи'],
    ]);
    let seen = (await user.received()).length;

    // 2. The operator finds it under «Bot» with the Bot badge, the answer chipped «Bot · shop-faq»
    //    and the same buttons as chips.
    await page.getByTestId('status-pending').click();
    const item = page
      .getByTestId('conversation-item')
      .filter({ has: page.getByTestId('bot-badge') })
      .filter({ hasText: 'Telegram' });
    await item.waitFor(wait);
    const conversationId = await item.getAttribute('data-conversation-id');
    if (!conversationId) throw new Error('the conversation item has no id');
    await item.click();
    const thread = page.getByTestId('thread');
    await thread.getByTestId('bot-badge').waitFor(wait);
    const botMessage = page
      .locator('[data-testid="message"][data-author="bot"]')
      .filter({ hasText: DELIVERY_COST });
    await botMessage.waitFor(wait);
    await expect(botMessage.getByTestId('message-text').textContent()).resolves.toBe(answer.text);
    await expect(botMessage.locator('.bot-author-flow').textContent()).resolves.toBe(FLOW);
    await expect(botMessage.getByTestId('bot-button').allTextContents()).resolves.toEqual(
      answer.buttons.map((button) => button.label),
    );
    await shot(page, '10-bot-answer');

    // 3. Gibberish, again and again: the bot answers each miss, then hands over.
    const misses = await missesBeforeHandoff();
    for (let miss = 1; miss <= misses; miss += 1) {
      await user.say(GIBBERISH);
      await nextReceived(user, seen, `the bot’s answer to miss ${miss}`);
      seen = (await user.received()).length;
    }
    const handoffLine = page.locator('[data-testid="message"][data-handoff="true"]');
    await handoffLine.waitFor(wait);
    await expect(handoffLine.textContent()).resolves.toContain(`Bot ${FLOW} handed over`);
    await thread.getByTestId('bot-badge').waitFor({ state: 'detached', ...wait });
    // Every bot reply is stored before the hand-off line: wait until the user has them all.
    const botReplies = (await threadOf(local, conversationId)).filter(isBotReply).length;
    await nextReceived(user, botReplies - 1, 'every bot reply in Telegram');
    seen = botReplies;
    const handedOver = await json<{ state: string }>(`${local.urls.api}/conversations/${conversationId}`, {
      token: local.demo.apiKey,
    });
    expect(['queued', 'human']).toContain(handedOver.body.state);
    await page.getByTestId('status-open').click();
    await page
      .locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`)
      .getByTestId('handed-over-badge')
      .waitFor(wait);
    await shot(page, '11-bot-handed-over');

    // 4. The operator answers; the user gets it, and asks again: the bot stays quiet, the operator answers.
    const replies = ['Здравствуйте! Я оператор, помогу разобраться.', 'Доставка по городу — 300 ₽.'];
    await answerAsOperator(page, user, seen, replies[0] ?? '');
    const question = 'А доставка сколько стоит?';
    await user.say(question);
    await page
      .locator('[data-testid="message"][data-direction="inbound"]')
      .filter({ hasText: question })
      .waitFor(wait);
    await answerAsOperator(page, user, seen, replies[1] ?? '');
    expect((await user.received()).slice(seen).map((message) => message.text)).toEqual(replies);
    const messages = await threadOf(local, conversationId);
    const line = messages.find((message) => message.kind === 'event' && message.author.type === 'bot');
    if (!line) throw new Error('no hand-off line in the thread');
    const botAfter = messages.filter((message) => isBotReply(message) && message.createdAt > line.createdAt);
    expect(botAfter).toEqual([]);

    // 5. The Bot panel reports the gibberish, linking to the conversation.
    await page.getByTestId('nav-bot').click();
    await page.locator(`[data-testid="bot-flow-row"][data-flow="${FLOW}"]`).getByRole('button').click();
    await page.locator(`[data-testid="bot-flow"][data-flow="${FLOW}"]`).waitFor(wait);
    const missed = page.getByTestId('bot-unanswered-item').filter({ hasText: GIBBERISH });
    await missed.waitFor(wait);
    // The miss and the miss that handed over, grouped under one normalized question.
    await expect(missed.getByTestId('bot-unanswered-count').textContent()).resolves.toBe(String(misses));
    await expect(missed.getByTestId('bot-unanswered-open').getAttribute('href')).resolves.toBe(
      `#/conversations/${conversationId}`,
    );
    await page.getByTestId('bot-total-handoffs').waitFor(wait);
    const report = await shot(page, 'bot-report');
    await page.getByTestId('bot-range').selectOption('30');
    await missed.waitFor(wait);
    await missed.getByTestId('bot-unanswered-open').click();
    await page.locator(`[data-testid="thread"][data-conversation-id="${conversationId}"]`).waitFor(wait);

    // 6. An uploaded flow keeps its versions: the admin rolls back to the first one.
    await uploadFlow(local, 'e2e-hello', 'Здравствуйте! (v1)');
    await uploadFlow(local, 'e2e-hello', 'Здравствуйте! (v2)');
    await page.getByTestId('nav-bot').click();
    await page.locator('[data-testid="bot-flow-row"][data-flow="e2e-hello"]').getByRole('button').click();
    const versions = page
      .locator('[data-testid="bot-flow"][data-flow="e2e-hello"]')
      .getByTestId('bot-version');
    await versions.filter({ hasText: 'active' }).filter({ hasText: 'v2' }).waitFor(wait);
    await versions.filter({ hasText: 'v1' }).getByTestId('bot-rollback').click();
    await versions.filter({ hasText: 'active' }).filter({ hasText: 'v1' }).waitFor(wait);
    await page
      .locator('[data-testid="bot-flow-row"][data-flow="e2e-hello"]')
      .getByText('v1', { exact: true })
      .waitFor(wait);
    const rolledBack = await json<{ activeVersion: number }>(`${local.urls.api}/bot-flows/e2e-hello`, {
      token: local.demo.apiKey,
    });
    expect(rolledBack.body.activeVersion).toBe(1);

    expect(started().pageErrors).toEqual([]);
    if (process.env.E2E_UPDATE_SCREENSHOT === '1')
      await copyFile(report, path.join(root, 'docs', 'images', 'bot-report.png'));
  });
});
