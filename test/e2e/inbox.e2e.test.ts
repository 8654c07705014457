import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { eventually } from '../contract/helpers/sandbox-control';
import { type E2eService, json, type Received, root, shot, startE2eService, wait } from './e2e-service';

/**
 * The operator inbox in a real browser against a real `vestnik start` (embedded FerretDB, API,
 * workers and the platform sandbox with the demo workspace): a notification reaches a VK user,
 * the user answers, the operator sees the answer live under the notification's text, replies,
 * and the user gets the reply, with the delivery tick following it.
 */
jest.setTimeout(240_000);

let stack: E2eService | undefined;

beforeAll(async () => {
  // This test is about operators: an empty demo flows folder keeps the demo's bot out of it.
  stack = await startE2eService({ withoutDemoBot: true });
});

afterAll(async () => {
  await stack?.stop();
});

describe('operator inbox in the browser', () => {
  it('shows a VK reply live under the notification it answers, and delivers the operator’s answer', async () => {
    if (!stack) throw new Error('the service did not start');
    const { local, base, browser, pageErrors } = stack;
    const { control } = local.sandbox;
    const vk = local.sandbox.channels.find((channel) => channel.type === 'vk');
    if (!vk) throw new Error('the demo has no VK community channel');
    const user = local.sandbox.users[0];
    if (!user) throw new Error('the demo sandbox has no virtual user');
    const account = (await json<{ accounts: { vk?: { id: string } } }>(`${control}/users/${user.id}`)).body
      .accounts.vk;
    if (!account) throw new Error('the demo user has no VK account');

    // The page is served with a self-only CSP; the API keeps its deny-all one.
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');

    // 1. The operator logs in.
    const page = await stack.newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('login-email').fill(local.demo.operator.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor(wait);
    await page.getByTestId('login-password').fill(local.demo.operator.password);
    await shot(page, '01-login');
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor(wait);

    const canned = await json(`${local.urls.api}/canned-responses`, {
      method: 'POST',
      token: local.demo.apiKey,
      body: JSON.stringify({
        shortcut: 'evening',
        title: 'Evening delivery',
        text: 'Да, привезём завтра с 18:00 до 21:00. {{operator.name}}, служба доставки.',
      }),
    });
    expect(canned.status).toBe(201);

    // 2. A notification goes to the VK user through the VK community channel.
    const order = String(Date.now()).slice(-5);
    const sent = await json<{ id: string }>(`${local.urls.api}/notifications`, {
      method: 'POST',
      token: local.demo.apiKey,
      body: JSON.stringify({
        to: { channel: vk.id, externalUserId: account.id },
        template: { name: 'order_shipped', params: { order, track: 'RA123456789RU' } },
        route: [{ channel: vk.id, ttl: '1h' }],
      }),
    });
    expect(sent.status).toBe(202);
    const received = async () =>
      (await json<{ received: Received[] }>(`${control}/users/${user.id}/received?platform=vk`)).body
        .received;
    const notification = await eventually(
      async () => (await received()).find((message) => message.text.includes(order)),
      'the notification in VK',
      wait.timeout,
    );
    // The inbox records a notification once the platform has accepted it, off the send's path:
    // an answer that overtook that record would have nothing to be linked to.
    await eventually(
      async () =>
        (
          await json<{ items: unknown[] }>(`${local.urls.api}/conversations?q=${order}`, {
            token: local.demo.apiKey,
          })
        ).body.items.length > 0 || undefined,
      'the notification in the inbox',
      wait.timeout,
    );

    // 3. The user answers it in VK (markup in it must stay text).
    const answer = `Спасибо! <b>Можно</b> привезти завтра после 18:00? https://example.com/slot?order=${order}`;
    const replied = await fetch(`${control}/users/${user.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'vk', text: answer, replyTo: notification.messageId }),
    });
    expect(replied.status).toBe(201);

    // 4. It appears live (no reload), with the notification's text in the «In reply to» block.
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Спасибо!' });
    await item.waitFor(wait);
    await item.click();
    const reply = page
      .locator('[data-testid="message"][data-direction="inbound"]')
      .filter({ hasText: 'Спасибо!' });
    await reply.waitFor(wait);
    const context = reply.getByTestId('reply-context-text');
    await expect(context.textContent()).resolves.toBe(notification.text);
    const text = reply.getByTestId('message-text');
    await expect(text.textContent()).resolves.toBe(answer);
    expect(await text.locator('b').count()).toBe(0);
    const link = text.locator('a');
    await expect(link.getAttribute('href')).resolves.toBe(`https://example.com/slot?order=${order}`);
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer nofollow');
    // The notification itself is in the thread as a system message.
    await page
      .locator('[data-testid="message"][data-kind="notification"]')
      .filter({ hasText: order })
      .waitFor(wait);
    await shot(page, '02-reply-arrived');

    // 5. The operator tags the conversation, leaves a note for colleagues, then answers with a
    //    canned response picked by typing `/` (placeholders filled), completed by hand.
    await page.getByTestId('tag-input').fill('Delivery');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('tags').getByText('delivery').waitFor(wait);
    await page.getByTestId('composer-note-tab').click();
    await page
      .getByTestId('composer-input')
      .fill('Клиент просит вечернюю доставку — проверить слот у курьера.');
    await page.getByTestId('composer-send').click();
    await page
      .locator('[data-testid="message"][data-kind="note"]')
      .filter({ hasText: 'вечернюю' })
      .waitFor(wait);
    await page.getByRole('tab', { name: 'Reply' }).click();
    await page.getByTestId('composer-input').fill('/evening');
    await page.getByTestId('canned-picker').getByText('Evening delivery').waitFor(wait);
    await page.getByTestId('composer-input').press('Enter');
    const picked = await page.getByTestId('composer-input').inputValue();
    expect(picked).toBe('Да, привезём завтра с 18:00 до 21:00. Administrator, служба доставки.');
    await page.getByTestId('composer-input').press('End');
    await page.getByTestId('composer-input').pressSequentially(` Заказ ${order}.`);
    const operatorText = `${picked} Заказ ${order}.`;
    await expect(page.getByTestId('composer-counter').textContent()).resolves.toMatch(
      new RegExp(`^${operatorText.length} / \\d+`),
    );
    await page.getByTestId('composer-send').click();
    const mine = page
      .locator('[data-testid="message"][data-direction="outbound"]')
      .filter({ hasText: operatorText });
    await mine.waitFor(wait);

    // 6. The VK user receives it; they read it and the tick follows (VK reports reads, not deliveries).
    const got = await eventually(
      async () => (await received()).find((message) => message.text === operatorText),
      'the operator’s answer in VK',
      wait.timeout,
    );
    await mine
      .locator(
        '[data-testid="message-status"][data-status="sent"], [data-status="delivered"], [data-status="read"]',
      )
      .first()
      .waitFor(wait);
    const read = await fetch(`${control}/users/${user.id}/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'vk', messageId: got.messageId }),
    });
    expect(read.status).toBe(204);
    await mine
      .locator(
        '[data-testid="message-status"][data-status="delivered"], [data-testid="message-status"][data-status="read"]',
      )
      .waitFor(wait);
    await page.getByTestId('composer-input').fill('/');
    await page.getByTestId('canned-picker').waitFor(wait);
    await shot(page, '03-answer-read');
    await page.getByTestId('composer-input').fill('');
    const desktop = await shot(page, 'inbox-desktop');

    // 6b. Offline for a while: the indicator says so, and what arrived meanwhile is synced on reconnect.
    await browser.context.setOffline(true);
    await page.locator('[data-testid="connection"]:not([data-state="connected"])').waitFor(wait);
    const later = `И ещё: можно оставить у консьержа? (${order})`;
    const sentLater = await fetch(`${control}/users/${user.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'vk', text: later }),
    });
    expect(sentLater.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await browser.context.setOffline(false);
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor(wait);
    await page
      .locator('[data-testid="message"][data-direction="inbound"]')
      .filter({ hasText: later })
      .waitFor(wait);

    // 7. At phone width the list and the thread are separate screens.
    const phone = await stack.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/`);
    await phone.getByTestId('conversation-item').first().waitFor(wait);
    expect(await phone.getByTestId('thread').isVisible()).toBe(false);
    await shot(phone, 'inbox-phone-list');
    await phone.getByTestId('conversation-item').filter({ hasText: order }).first().click();
    await phone
      .locator('[data-testid="message"][data-direction="outbound"]')
      .filter({ hasText: operatorText })
      .waitFor(wait);
    expect(await phone.getByTestId('conversation-list').isVisible()).toBe(false);
    await shot(phone, 'inbox-phone-thread');

    // 8. A moderator rejects a pending template with a reason from the moderation queue.
    const pending = await json<{ id: string; status: string }>(`${local.urls.api}/templates`, {
      method: 'POST',
      token: local.demo.apiKey,
      body: JSON.stringify({
        name: `promo_${order}`,
        body: 'Скидка 50% на всё! Заказ #order# уже ждёт.',
        category: 'order',
        channels: ['vk'],
        submit: true,
      }),
    });
    expect(pending.body.status).toBe('pending');
    await page.getByTestId('nav-moderation').click();
    const queued = page.getByTestId('moderation-item').filter({ hasText: `promo_${order}` });
    await queued.getByRole('button', { name: 'Reject…' }).click();
    await queued.getByLabel('Reason').fill('Advertising belongs in the advertising tail.');
    await shot(page, '04-moderation');
    await queued.getByRole('button', { name: 'Reject', exact: true }).click();
    await queued.waitFor({ state: 'detached', ...wait });
    const decided = await json<{ status: string; rejectionReason: string }>(
      `${local.urls.api}/templates/${pending.body.id}`,
      { token: local.demo.apiKey },
    );
    expect(decided.body).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Advertising belongs in the advertising tail.',
    });

    expect(pageErrors).toEqual([]);
    if (process.env.E2E_UPDATE_SCREENSHOT === '1')
      await copyFile(desktop, path.join(root, 'docs', 'images', 'inbox.png'));
  });
});
