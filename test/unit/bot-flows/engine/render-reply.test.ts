import type { ChannelCapabilities } from '../../../../adapters/contract';
import { okCapabilities } from '../../../../adapters/ok/capabilities';
import { telegramCapabilities } from '../../../../adapters/telegram/capabilities';
import { viberCapabilities } from '../../../../adapters/viber/capabilities';
import { vkCapabilities } from '../../../../adapters/vk/capabilities';
import { whatsappCapabilities } from '../../../../adapters/whatsapp/capabilities';
import { type BotReply, numberedHint, renderReply } from '../../../../bot-flows/engine';

const menu: BotReply = {
  text: 'Чем помочь?',
  buttons: [
    { label: 'Доставка', payload: 'goto:delivery' },
    { label: 'Оплата', payload: 'goto:payment' },
  ],
};
const noButtons: Pick<ChannelCapabilities, 'buttons'> = { buttons: null };

describe('renderReply: buttons as each channel carries them', () => {
  test.each([
    ['vk (keyboard)', vkCapabilities, 'reply'],
    ['telegram (inline)', telegramCapabilities, 'callback'],
    ['viber (keyboard)', viberCapabilities, 'reply'],
    ['whatsapp (reply buttons)', whatsappCapabilities(), 'reply'],
    ['ok (inline)', okCapabilities, 'callback'],
  ])('%s gets real buttons of kind %s', (_name, capabilities, kind) => {
    const rendered = renderReply(menu, capabilities);
    expect(rendered).toEqual({
      text: 'Чем помочь?',
      numbered: false,
      buttons: [
        { kind, label: 'Доставка', payload: 'goto:delivery' },
        { kind, label: 'Оплата', payload: 'goto:payment' },
      ],
    });
  });

  test('a channel without buttons (SMS) gets numbered options in the text', () => {
    expect(renderReply(menu, noButtons)).toEqual({
      text: `Чем помочь?\n\n1. Доставка\n2. Оплата\n${numberedHint}`,
      buttons: [],
      numbered: true,
    });
  });

  test('WhatsApp takes at most 3 reply buttons: a fourth option numbers them all', () => {
    const four: BotReply = {
      text: 'Выберите',
      buttons: ['A', 'B', 'C', 'D'].map((label) => ({ label, payload: label })),
    };
    const rendered = renderReply(four, whatsappCapabilities());
    expect(rendered.numbered).toBe(true);
    expect(rendered.text).toContain('4. D');
    expect(renderReply(four, telegramCapabilities).numbered).toBe(false);
  });

  test('a label longer than WhatsApp allows (20) falls back to numbers, Telegram keeps buttons', () => {
    const long: BotReply = {
      text: 'x',
      buttons: [{ label: 'Узнать статус моего заказа', payload: 'status' }],
    };
    expect(renderReply(long, whatsappCapabilities()).numbered).toBe(true);
    expect(renderReply(long, telegramCapabilities).buttons).toHaveLength(1);
  });

  test('a link stays a link where the channel has links, and becomes a line where it has not', () => {
    const withLink: BotReply = {
      text: 'Условия',
      buttons: [
        { label: 'Оферта', url: 'https://shop.example/terms' },
        { label: 'Ещё', payload: 'more' },
      ],
    };
    expect(renderReply(withLink, vkCapabilities).buttons[0]).toEqual({
      kind: 'link',
      label: 'Оферта',
      url: 'https://shop.example/terms',
    });
    expect(renderReply(withLink, noButtons).text).toBe(
      `Условия\n\nОферта: https://shop.example/terms\n1. Ещё\n${numberedHint}`,
    );
  });

  test('a reply without buttons is left as it is', () => {
    expect(renderReply({ text: 'Готово' }, noButtons)).toEqual({
      text: 'Готово',
      buttons: [],
      numbered: false,
    });
  });
});
