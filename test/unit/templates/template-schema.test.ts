import { channelKinds } from '../../../adapters/contract';
import type { TemplateButton } from '../../../src/templates/template-buttons';
import {
  type CreateTemplate,
  type CreateTemplateInput,
  createTemplateSchema,
  templateCategories,
  templateNameSchema,
} from '../../../src/templates/template-schema';

const valid: CreateTemplateInput = {
  name: 'order_shipped',
  body: 'Заказ #order# отправлен. Трек: #track#',
  category: 'delivery',
  channels: ['vk-notify', 'sms'],
};

/** The issues of a failed parse as `path: message`. */
function issues(input: unknown): string[] {
  const result = createTemplateSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('createTemplateSchema: a whole template', () => {
  it('parses a minimal template and fills empty buttons and images', () => {
    const parsed: CreateTemplate = createTemplateSchema.parse(valid);
    expect(parsed).toEqual({ ...valid, buttons: [], images: [] });
  });

  it('parses a full template', () => {
    const input = {
      ...valid,
      advertisingTail: 'Скидка 10% по коду #promo# 🎁',
      category: 'marketing',
      channels: [...channelKinds],
      buttons: [
        { kind: 'text', label: 'Подтвердить', payload: 'confirm' },
        { kind: 'text', label: 'Thanks 👍' },
        { kind: 'link', label: 'Track', url: 'https://shop.example/t/1' },
      ],
      images: ['img_1', 'img_2'],
    };
    const parsed = createTemplateSchema.parse(input);
    const first: TemplateButton | undefined = parsed.buttons[0];
    expect(first).toEqual({ kind: 'text', label: 'Подтвердить', payload: 'confirm' });
    expect(parsed).toEqual(input);
  });

  it('refuses unknown fields', () => {
    expect(issues({ ...valid, text: 'x' })).toEqual([': Unrecognized key: "text"']);
  });

  it.each(templateCategories)('accepts category %s', (category) => {
    expect(issues({ ...valid, category })).toEqual([]);
  });

  it('refuses an unknown category', () => {
    expect(issues({ ...valid, category: 'spam' })).toHaveLength(1);
  });
});

describe('templateNameSchema', () => {
  it.each(['a', 'order_shipped', 'otp2', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(templateNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', 'x'.repeat(65), 'Order', 'order-shipped', 'заказ', 'order shipped', 'emoji_🙂'])(
    'refuses %j',
    (name) => {
      expect(issues({ ...valid, name })).toEqual(['name: name must be 1-64 characters of a-z, 0-9 and _']);
    },
  );
});

describe('createTemplateSchema: body and advertising tail', () => {
  it('accepts exactly 4096 code points, even when that is 8192 UTF-16 units', () => {
    expect(issues({ ...valid, body: 'я'.repeat(4096) })).toEqual([]);
    expect(issues({ ...valid, body: '😀'.repeat(4096) })).toEqual([]);
  });

  it('refuses 4097 code points', () => {
    expect(issues({ ...valid, body: 'a'.repeat(4097) })).toEqual([
      'body: text is 4097 characters; at most 4096 allowed',
    ]);
    expect(issues({ ...valid, body: '😀'.repeat(4097) })).toEqual([
      'body: text is 4097 characters; at most 4096 allowed',
    ]);
  });

  it('refuses an empty or blank body', () => {
    expect(issues({ ...valid, body: '' })).toEqual(['body: text must not be empty or only whitespace']);
    expect(issues({ ...valid, body: ' \n\t' })).toEqual(['body: text must not be empty or only whitespace']);
  });

  it('refuses an unclosed placeholder with a clear message', () => {
    expect(issues({ ...valid, body: 'Ваш код: #code' })).toEqual([
      'body: unmatched "#" at character 10 ("#code"): write #name# for a placeholder (Latin letters, digits and _) or ## for a literal #',
    ]);
  });

  it('reports every stray hash, in the body and in the tail', () => {
    expect(issues({ ...valid, body: 'C# и #x', advertisingTail: 'Sale #promo' })).toEqual([
      expect.stringMatching(/^body: unmatched "#" at character 2 /),
      expect.stringMatching(/^body: unmatched "#" at character 6 /),
      expect.stringMatching(/^advertisingTail: unmatched "#" at character 6 /),
    ]);
  });

  it('accepts escaped hashes', () => {
    expect(issues({ ...valid, body: 'Заказ ##42 на C##: #order#' })).toEqual([]);
  });

  it('applies the same rules to the advertising tail', () => {
    expect(issues({ ...valid, advertisingTail: '' })).toEqual([
      'advertisingTail: text must not be empty or only whitespace',
    ]);
    expect(issues({ ...valid, advertisingTail: 'b'.repeat(4096) })).toEqual([]);
    expect(issues({ ...valid, advertisingTail: 'b'.repeat(4097) })).toHaveLength(1);
  });
});

describe('createTemplateSchema: channels', () => {
  it('accepts every channel kind once', () => {
    expect(issues({ ...valid, channels: [...channelKinds] })).toEqual([]);
  });

  it('refuses no channels, unknown channels and repeated channels', () => {
    expect(issues({ ...valid, channels: [] })).toEqual(['channels: channels must name at least one channel']);
    expect(issues({ ...valid, channels: ['icq'] })).toHaveLength(1);
    expect(issues({ ...valid, channels: ['sms', 'vk', 'sms', 'vk', 'email'] })).toEqual([
      'channels: channels must be unique; repeated: sms, vk',
    ]);
  });
});

describe('createTemplateSchema: buttons', () => {
  const button = { kind: 'text', label: 'Да' } as const;

  it('accepts exactly 6 and refuses 7', () => {
    expect(issues({ ...valid, buttons: new Array(6).fill(button) })).toEqual([]);
    expect(issues({ ...valid, buttons: new Array(7).fill(button) })).toEqual([
      'buttons: at most 6 buttons allowed',
    ]);
  });

  it('checks labels in code points: 40 emoji pass, 41 fail', () => {
    expect(issues({ ...valid, buttons: [{ kind: 'text', label: '🔥'.repeat(40) }] })).toEqual([]);
    expect(
      issues({ ...valid, buttons: [{ kind: 'link', label: '🔥'.repeat(41), url: 'https://a.example' }] }),
    ).toEqual(['buttons.0.label: label is 41 characters; at most 40 allowed']);
  });

  it('checks payload bytes and link URLs, naming the field', () => {
    expect(
      issues({
        ...valid,
        buttons: [
          { kind: 'text', label: 'A', payload: 'p'.repeat(64) },
          { kind: 'text', label: 'B', payload: 'p'.repeat(65) },
          { kind: 'link', label: 'C', url: 'javascript:alert(1)' },
        ],
      }),
    ).toEqual([
      'buttons.1.payload: payload is 65 bytes in UTF-8; at most 64 allowed',
      'buttons.2.url: url "javascript:alert(1)" must be an absolute http(s) URL',
    ]);
  });

  it('refuses unknown kinds, a url on a text button and a missing url on a link', () => {
    expect(issues({ ...valid, buttons: [{ kind: 'reply', label: 'A' }] })).toHaveLength(1);
    expect(issues({ ...valid, buttons: [{ kind: 'text', label: 'A', url: 'https://a.example' }] })).toEqual([
      'buttons.0: Unrecognized key: "url"',
    ]);
    expect(issues({ ...valid, buttons: [{ kind: 'link', label: 'A' }] })).toHaveLength(1);
  });
});

describe('createTemplateSchema: images', () => {
  it('accepts exactly 5 ids and refuses 6', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(issues({ ...valid, images: ids.slice(0, 5) })).toEqual([]);
    expect(issues({ ...valid, images: ids })).toEqual(['images: at most 5 images allowed']);
  });

  it('refuses empty and repeated ids', () => {
    expect(issues({ ...valid, images: [''] })).toHaveLength(1);
    expect(issues({ ...valid, images: ['a', 'a'] })).toEqual(['images: images must be unique; repeated: a']);
  });
});
