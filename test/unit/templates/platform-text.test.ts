import { platformTemplateFor } from '../../../src/templates/platform-text';

const template = (body: string, extra: { advertisingTail?: string; category?: 'otp' | 'delivery' } = {}) => ({
  body,
  advertisingTail: extra.advertisingTail ?? null,
  category: extra.category ?? 'delivery',
});

describe('platformTemplateFor', () => {
  it('writes the gateway dialect: #name# kept, ## as a single #, the tail after a blank line', () => {
    const result = platformTemplateFor(
      'vk-notify',
      template('Заказ ###order# готов.  ', { advertisingTail: '  Скидка 10% по коду #promo#' }),
      'order_ready',
    );
    expect(result).toEqual({
      ok: true,
      template: { name: 'order_ready', text: 'Заказ ##order# готов.\n\nСкидка 10% по коду #promo#' },
    });
  });

  it('writes WhatsApp placeholders as {{name}} and maps the category (advertising makes it MARKETING)', () => {
    expect(
      platformTemplateFor('whatsapp', template('Код #code# для входа.', { category: 'otp' }), 'otp'),
    ).toEqual({
      ok: true,
      template: { name: 'otp', text: 'Код {{code}} для входа.', category: 'AUTHENTICATION' },
    });
    const withTail = platformTemplateFor(
      'whatsapp',
      template('Заказ #order# у вас.', { advertisingTail: 'Акция!' }),
      'x',
    );
    expect(withTail.ok && withTail.template.category).toBe('MARKETING');
    const plain = platformTemplateFor('whatsapp', template('Заказ #order# у вас.'), 'x');
    expect(plain.ok && plain.template.category).toBe('UTILITY');
  });

  it('refuses a text whose literal # would read as a placeholder on the gateway', () => {
    const result = platformTemplateFor('ok-notify', template('Тег ##sale## и код #code#.'), 'tagged');
    expect(result).toEqual({ ok: false, detail: expect.stringContaining('would read as a placeholder') });
    expect(platformTemplateFor('whatsapp', template('Тег ##sale## и код #code#.'), 'tagged').ok).toBe(true);
  });

  it('has no dialect for channels without platform moderation', () => {
    expect(platformTemplateFor('sms', template('Код #code#.'), 'otp')).toEqual({
      ok: false,
      detail: 'sms channels have no platform template dialect',
    });
  });
});
