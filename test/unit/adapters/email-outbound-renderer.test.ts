import {
  emailCapabilities,
  maxImageBytes,
  maxImages,
  maxMessageBytes,
} from '../../../adapters/email/capabilities';
import { type EmailConfig, emailConfigSchema } from '../../../adapters/email/config-schema';
import { escapeHtml } from '../../../adapters/email/html-body';
import { messageIdFor } from '../../../adapters/email/message-id';
import { renderEmail, safeLinkUrl, subjectFor } from '../../../adapters/email/outbound-renderer';
import { sampleJpeg } from '../../../src/sandbox/file-store';

const config: EmailConfig = emailConfigSchema.parse({
  host: 'smtp.shop.example',
  user: 'noreply@shop.example',
  password: 'app-password',
  from: { address: 'noreply@Shop.Example', name: 'Магазин' },
  replyTo: 'support@shop.example',
});
const recipient = { address: 'anna@mail.example', name: 'Анна' };

describe('email: outbound rendering', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('derives the subject from the first non-empty line, at most 78 characters', () => {
    expect(subjectFor('\n  \n  Заказ   №1042 \n подробности', undefined)).toBe('Заказ №1042');
    expect(subjectFor('текст', '  Тема  ')).toBe('Тема');
    expect(subjectFor('текст', '   ')).toBe('текст');
    const subject = subjectFor('😀'.repeat(100), undefined);
    expect([...subject]).toHaveLength(78);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('accepts only absolute http(s) link URLs', () => {
    expect(safeLinkUrl('https://shop.example/a b')).toBe('https://shop.example/a%20b');
    expect(safeLinkUrl('HTTP://shop.example')).toBe('http://shop.example/');
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'mailto:a@b.c',
      '//shop.example',
      '',
      undefined,
    ]) {
      expect(safeLinkUrl(url)).toBeNull();
    }
  });

  it('derives a deterministic Message-ID from our id and the sender domain', () => {
    expect(messageIdFor('msg-1', 'noreply@Shop.Example')).toBe(messageIdFor('msg-1', 'x@shop.example'));
    expect(messageIdFor('msg-1', 'noreply@shop.example')).not.toBe(
      messageIdFor('msg-2', 'noreply@shop.example'),
    );
    expect(messageIdFor('id with <spaces>', 'a@shop.example')).toMatch(
      /^<vestnik\.[0-9a-f]{32}@shop\.example>$/,
    );
  });

  it('builds the nodemailer message: addresses, headers, parts, inline images', () => {
    const rendered = renderEmail({
      config,
      recipient,
      content: {
        type: 'text',
        text: 'Чек <b>готов</b>',
        buttons: [{ kind: 'link', label: 'Открыть', url: 'https://shop.example/r?id=1&x=2' }],
        images: [{ mimeType: 'image/jpeg', fileName: 'r.jpg', data: sampleJpeg }],
      },
      options: { messageId: 'msg-9', replyToExternalId: '<q@mail.example>' },
    });
    if (!rendered.ok) throw new Error(rendered.refusal.message);
    const { mail } = rendered;
    expect(mail).toMatchObject({
      from: { name: 'Магазин', address: 'noreply@Shop.Example' },
      to: { name: 'Анна', address: 'anna@mail.example' },
      replyTo: 'support@shop.example',
      inReplyTo: '<q@mail.example>',
      references: ['<q@mail.example>'],
      subject: 'Чек <b>готов</b>',
      messageId: messageIdFor('msg-9', 'noreply@shop.example'),
      headers: { 'X-Vestnik-Message-Id': 'msg-9', 'Auto-Submitted': 'auto-generated' },
      text: 'Чек <b>готов</b>\n\nОткрыть: https://shop.example/r?id=1&x=2',
    });
    const cid = mail.attachments?.[0]?.cid;
    expect(mail.attachments).toEqual([
      {
        filename: 'r.jpg',
        content: sampleJpeg,
        contentType: 'image/jpeg',
        contentDisposition: 'inline',
        cid,
      },
    ]);
    expect(mail.html).toContain('<title>Чек &lt;b&gt;готов&lt;/b&gt;</title>');
    expect(mail.html).toContain('<div>Чек &lt;b&gt;готов&lt;/b&gt;</div>');
    expect(mail.html).toContain(`<img src="cid:${cid}" alt="r.jpg"`);
    expect(mail.html).toContain('<a href="https://shop.example/r?id=1&amp;x=2" ');
  });

  it('refuses a link button without an http(s) URL, naming the limit', () => {
    const rendered = renderEmail({
      config,
      recipient,
      content: {
        type: 'text',
        text: 'x',
        buttons: [{ kind: 'link', label: 'Да', url: 'javascript:void(0)' }],
      },
      options: { messageId: 'm' },
    });
    expect(rendered).toMatchObject({ ok: false, refusal: { limit: 'buttons.url' } });
  });
});

describe('email: config and capabilities', () => {
  it('fills defaults and keeps the login pair together', () => {
    expect(config).toMatchObject({ port: 587, secure: false, requireTls: true, pool: { maxConnections: 5 } });
    const base = { host: 'smtp.shop.example', from: { address: 'noreply@shop.example' } };
    expect(emailConfigSchema.safeParse(base).success).toBe(true);
    expect(emailConfigSchema.safeParse({ ...base, user: 'u' }).success).toBe(false);
    expect(
      emailConfigSchema.safeParse({ ...base, from: { address: 'a@b.c', name: 'X\r\nBcc: evil@x.y' } })
        .success,
    ).toBe(false);
    expect(emailConfigSchema.safeParse({ ...base, from: { address: 'Shop <a@b.c>' } }).success).toBe(false);
  });

  it('fits the largest allowed images into the 25 MB message budget once base64-encoded', () => {
    const base64WithLineBreaks = (bytes: number): number => Math.ceil(bytes / 57) * 78;
    const textParts = 2 * 600_000;
    expect(maxImages * base64WithLineBreaks(maxImageBytes) + textParts).toBeLessThan(maxMessageBytes);
  });

  it('takes its send rate from the config', () => {
    const caps = emailCapabilities({ ...config, pool: { ...config.pool, messagesPerSecond: 3 } });
    expect(caps.rateLimit.perSecond).toBe(3);
    expect(caps).toMatchObject({ initiation: 'by-address', inbound: false, withdraw: false });
  });
});
