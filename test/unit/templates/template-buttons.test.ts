import type { ChannelCapabilities } from '../../../adapters/contract';
import { validateContent } from '../../../adapters/contract';
import { telegramCapabilities } from '../../../adapters/telegram/capabilities';
import { viberCapabilities } from '../../../adapters/viber/capabilities';
import { vkCapabilities } from '../../../adapters/vk/capabilities';
import { notifyCapabilities } from '../../../adapters/vk-notify/capabilities';
import { whatsappCapabilities } from '../../../adapters/whatsapp/capabilities';
import {
  buttonsForChannel,
  checkTemplateButtons,
  labelProblem,
  payloadProblem,
  type TemplateButton,
  urlProblem,
} from '../../../src/templates/template-buttons';

const text = (label: string, payload?: string): TemplateButton =>
  payload === undefined ? { kind: 'text', label } : { kind: 'text', label, payload };
const link = (label: string, url = 'https://shop.example/orders/42'): TemplateButton => ({
  kind: 'link',
  label,
  url,
});

describe('labelProblem', () => {
  it('accepts 1 to 40 code points, emoji counting as one', () => {
    expect(labelProblem('Д')).toBeNull();
    expect(labelProblem('Я'.repeat(40))).toBeNull();
    expect(labelProblem('👍'.repeat(40))).toBeNull();
    expect('👍'.repeat(40).length).toBe(80);
  });

  it('refuses 41 code points and empty or blank labels', () => {
    expect(labelProblem('a'.repeat(41))).toBe('label is 41 characters; at most 40 allowed');
    expect(labelProblem('🚚'.repeat(41))).toBe('label is 41 characters; at most 40 allowed');
    expect(labelProblem('')).toBe('label must not be empty');
    expect(labelProblem('  \n')).toBe('label must not be empty');
  });
});

describe('payloadProblem', () => {
  it('accepts 1 to 64 UTF-8 bytes', () => {
    expect(payloadProblem('x')).toBeNull();
    expect(payloadProblem('a'.repeat(64))).toBeNull();
    expect(payloadProblem('я'.repeat(32))).toBeNull();
  });

  it('refuses 65 bytes (Cyrillic letters are two bytes each) and an empty payload', () => {
    expect(payloadProblem('a'.repeat(65))).toBe('payload is 65 bytes in UTF-8; at most 64 allowed');
    expect(payloadProblem(`${'я'.repeat(32)}a`)).toBe('payload is 65 bytes in UTF-8; at most 64 allowed');
    expect(payloadProblem('😀'.repeat(17))).toBe('payload is 68 bytes in UTF-8; at most 64 allowed');
    expect(payloadProblem('')).toBe('payload must not be empty (leave it out to send the label)');
  });
});

describe('urlProblem', () => {
  it.each(['https://shop.example/track?id=1', 'http://localhost:8080/x', 'https://магазин.рф/заказ'])(
    'accepts %s',
    (url) => {
      expect(urlProblem(url)).toBeNull();
    },
  );

  it.each(['ftp://shop.example/x', 'javascript:alert(1)', 'shop.example/x', '/orders/1', '', 'mailto:a@b.c'])(
    'refuses %j',
    (url) => {
      expect(urlProblem(url)).toBe(`url "${url}" must be an absolute http(s) URL`);
    },
  );
});

describe('checkTemplateButtons', () => {
  it('accepts no buttons and exactly 6', () => {
    expect(checkTemplateButtons([])).toEqual({ ok: true });
    expect(checkTemplateButtons([text('1'), text('2'), text('3'), link('4'), link('5'), link('6')])).toEqual({
      ok: true,
    });
  });

  it('refuses 7 buttons', () => {
    expect(checkTemplateButtons(new Array<TemplateButton>(7).fill(text('Да')))).toEqual({
      ok: false,
      rule: 'buttons.max',
      message: 'template has 7 buttons; at most 6 allowed',
    });
  });

  it('names the first bad button by position', () => {
    expect(checkTemplateButtons([text('Ok'), link('Open', 'ftp://x.example'), text('')])).toEqual({
      ok: false,
      rule: 'buttons.url',
      index: 1,
      message: 'button 2: url "ftp://x.example" must be an absolute http(s) URL',
    });
    expect(checkTemplateButtons([text('Ok', '')])).toMatchObject({ rule: 'buttons.payload', index: 0 });
    expect(checkTemplateButtons([link('x'.repeat(41))])).toMatchObject({ rule: 'buttons.label', index: 0 });
  });
});

describe('buttonsForChannel', () => {
  const template: TemplateButton[] = [text('Подтвердить', 'confirm'), text('Отменить'), link('Трек 🚚')];

  it('maps text to callback where the channel has callback buttons (VK, Telegram)', () => {
    for (const capabilities of [vkCapabilities, telegramCapabilities]) {
      expect(buttonsForChannel(template, capabilities)).toEqual({
        ok: true,
        buttons: [
          { kind: 'callback', label: 'Подтвердить', payload: 'confirm' },
          { kind: 'callback', label: 'Отменить', payload: 'Отменить' },
          { kind: 'link', label: 'Трек 🚚', url: 'https://shop.example/orders/42' },
        ],
      });
    }
  });

  it('maps text to reply where the channel has no callback buttons (Viber)', () => {
    expect(buttonsForChannel(template, viberCapabilities)).toMatchObject({
      ok: true,
      buttons: [
        { kind: 'reply', label: 'Подтвердить', payload: 'confirm' },
        { kind: 'reply', label: 'Отменить', payload: 'Отменить' },
        { kind: 'link', label: 'Трек 🚚' },
      ],
    });
  });

  it('produces content the channel contract accepts', () => {
    const mapped = buttonsForChannel(template, vkCapabilities);
    if (!mapped.ok) throw new Error(mapped.message);
    expect(
      validateContent(vkCapabilities, { type: 'text', text: 'Заказ 42', buttons: mapped.buttons }),
    ).toBeNull();
  });

  it('passes no buttons to any channel, even one without buttons', () => {
    expect(buttonsForChannel([], notifyCapabilities)).toEqual({ ok: true, buttons: [] });
  });

  it('refuses buttons on a channel without buttons', () => {
    expect(buttonsForChannel([text('Да')], notifyCapabilities)).toEqual({
      ok: false,
      rule: 'buttons.max',
      message: 'the channel has no buttons',
    });
  });

  it('refuses a link on a channel without link buttons (WhatsApp)', () => {
    expect(buttonsForChannel([text('Да'), link('Open')], whatsappCapabilities())).toEqual({
      ok: false,
      rule: 'buttons.kinds',
      message: 'the channel has no link buttons ("Open")',
    });
  });

  it('refuses a text button on a channel with link buttons only', () => {
    const linksOnly: ChannelCapabilities = {
      ...vkCapabilities,
      buttons: { kinds: ['link'], max: 6, maxLabelLength: 40 },
    };
    expect(buttonsForChannel([link('Open'), text('Да')], linksOnly)).toEqual({
      ok: false,
      rule: 'buttons.kinds',
      message: 'the channel has no callback or reply buttons ("Да")',
    });
  });

  it('accepts exactly the channel maximum and refuses one more (WhatsApp: 3)', () => {
    const three = [text('1'), text('2'), text('3')];
    expect(buttonsForChannel(three, whatsappCapabilities())).toMatchObject({ ok: true });
    expect(buttonsForChannel([...three, text('4')], whatsappCapabilities())).toEqual({
      ok: false,
      rule: 'buttons.max',
      message: 'template has 4 buttons; the channel allows at most 3',
    });
  });

  it('accepts labels at the channel label limit and refuses one over (WhatsApp: 20)', () => {
    expect(buttonsForChannel([text('👍'.repeat(20))], whatsappCapabilities())).toMatchObject({ ok: true });
    expect(buttonsForChannel([text('Подтвердить доставку!')], whatsappCapabilities())).toEqual({
      ok: false,
      rule: 'buttons.maxLabelLength',
      message: 'label "Подтвердить доставку!" is 21 characters; the channel allows at most 20',
    });
  });

  it('refuses a template that breaks its own rules before looking at the channel', () => {
    expect(
      buttonsForChannel(new Array<TemplateButton>(7).fill(text('x')), telegramCapabilities),
    ).toMatchObject({
      ok: false,
      rule: 'buttons.max',
      message: 'template has 7 buttons; at most 6 allowed',
    });
  });
});
