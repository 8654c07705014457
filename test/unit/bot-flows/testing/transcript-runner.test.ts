import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  expectTranscript,
  formatReport,
  runTranscriptFile,
  TranscriptInvalid,
  type TranscriptReport,
} from '../../../../bot-flows/testing';

const flowYaml = `flow: runner-test
faq:
  - id: delivery
    questions: [Сколько стоит доставка?, How much is delivery?]
    answer: Доставка — 300 ₽.
    buttons:
      - { label: Оплата, goto: payment }
  - id: payment
    questions: [Как оплатить заказ?]
    answer: Картой или наличными.
handoff:
  afterMisses: 2
fallback: Не понял.
`;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-transcripts-'));
  await writeFile(path.join(dir, 'flow.yaml'), flowYaml);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes a transcript file into the temp folder and returns its path. */
async function script(name: string, text: string): Promise<string> {
  const file = path.join(dir, `${name}.transcript.yaml`);
  await writeFile(file, text);
  return file;
}

/** The problems of an invalid transcript as `line:column path: message`. */
async function problemsOf(file: string): Promise<string[]> {
  const error = await runTranscriptFile(file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TranscriptInvalid))
    throw new Error(`expected TranscriptInvalid, got ${String(error)}`);
  return error.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`);
}

describe('runTranscriptFile: passing scripts', () => {
  test('hits, buttons per channel, typed numbers, hand-off and silence after it', async () => {
    const file = await script(
      'passing',
      `flow: ./flow.yaml
channel: telegram
conversations:
  - name: delivery on Telegram
    steps:
      - user: сколько стоит дотсавка?
        bot: Доставка — 300 ₽.
        buttons: [Оплата]
        matched: delivery
      - press: Оплата
        bot: { contains: наличными }
  - name: delivery by SMS
    channel: sms
    steps:
      - user: how much is delivery
        bot: { matches: "^Доставка — \\\\d+ ₽\\\\.$" }
        buttons: ["1. Оплата"]
      - user: "1"
        bot: [Картой или наличными.]
        matched: payment
  - name: misses, then the operators
    steps:
      - user: абракадабра
        bot: Не понял.
        buttons: [Позвать оператора]
        matched: null
      - user: снова непонятно
        handoff: misses
      - user: алло?
        bot: []
`,
    );
    const report = await runTranscriptFile(file);
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.flow.name).toBe('runner-test');
    expect(formatReport(report, { color: false })).toContain('✓ delivery by SMS [sms]');
    await expect(expectTranscript(file)).resolves.toMatchObject({ passed: true });
  });
});

describe('runTranscriptFile: failing scripts', () => {
  test('a wrong reply fails its step with its line and a diff, and stops the conversation', async () => {
    const file = await script(
      'failing',
      `flow: ./flow.yaml
conversations:
  - name: passes
    steps:
      - user: сколько стоит доставка
  - name: wrong price
    steps:
      - user: сколько стоит доставка
        buttons: [Оплата]
      - press: Оплата
        bot: Только картой.
      - user: спасибо
`,
    );
    const report = await runTranscriptFile(file);
    expect(report.passed).toBe(false);
    const [passes, wrong] = report.conversations;
    expect(passes?.passed).toBe(true);
    expect(wrong).toMatchObject({ name: 'wrong price', line: 6, passed: false, skipped: 1 });
    expect(wrong?.steps.map((step) => step.passed)).toEqual([true, false]);
    expect(wrong?.steps[1]).toMatchObject({
      index: 2,
      line: 10,
      action: 'press: "Оплата"',
      diff: 'bot:\n  - "Только картой."\n  + "Картой или наличными."',
    });
    const text = formatReport(report, { color: false });
    expect(text).toContain(`✗ wrong price [telegram]\n      ${file}:10 step 2, press: "Оплата"`);
    expect(text).toContain('(1 later steps not run)');
    expect(text).toContain('1 of 2 conversations passed');
    await expect(expectTranscript(file)).rejects.toThrow(`${file}:10 step 2`);
  });

  test.each([
    [
      'buttons',
      '      - user: сколько стоит доставка\n        buttons: [Доставка]',
      'buttons:\n  - ["Доставка"]\n  + ["Оплата"]',
    ],
    ['an unexpected hand-off', '      - user: оператор', 'handoff:\n  - no hand-off\n  + keyword'],
    [
      'a hand-off reason',
      '      - user: оператор\n        handoff: misses',
      'handoff:\n  - misses\n  + keyword',
    ],
    [
      'the matched entry',
      '      - user: сколько стоит доставка\n        matched: payment',
      'matched:\n  - payment\n  + delivery (confidence 1)',
    ],
    [
      'a press of a button not offered',
      '      - press: Возврат',
      'press:\n  - a button "Возврат"\n  + offered: none',
    ],
    [
      'silence after a hand-off',
      '      - user: оператор\n        handoff: true\n      - user: алло\n        bot: [Привет]',
      'bot:\n  - "Привет"\n  + (no reply)',
    ],
  ])('%s', async (name, steps, diff) => {
    const file = await script(
      `fails-${name.replaceAll(' ', '-')}`,
      `flow: ./flow.yaml\nconversations:\n  - name: x\n    steps:\n${steps}\n`,
    );
    const report = await runTranscriptFile(file);
    const failed = report.conversations[0]?.steps.find((step) => !step.passed);
    expect(failed?.diff).toBe(diff);
  });
});

describe('runTranscriptFile: invalid scripts', () => {
  test('every problem with its line and column', async () => {
    const file = await script(
      'invalid',
      `flow: ./flow.yaml
channel: telegramm
now: tomorrow
conversations:
  - name: typos
    steps:
      - user: привет
        bto: hi
      - press: Да
        user: да
      - user: hi
        bot: { containz: x }
  - name: no steps
`,
    );
    expect(await problemsOf(file)).toEqual([
      expect.stringMatching(/^invalid\.transcript\.yaml:2:1 channel: must be a channel type: vk, /),
      'invalid.transcript.yaml:3:1 now: must be an ISO 8601 date-time with an offset, such as "2026-11-23T12:00:00+03:00"',
      'invalid.transcript.yaml:8:9 conversations[0].steps[0].bto: unknown key "bto"',
      'invalid.transcript.yaml:9:9 conversations[0].steps[1]: a step has exactly one of `user` (the customer types) or `press` (the customer presses a button)',
      'invalid.transcript.yaml:12:9 conversations[0].steps[2].bot: must be the exact reply text, { contains: "…" }, { matches: "regex" } or a list of them',
      'invalid.transcript.yaml:13:5 conversations[1].steps: is required',
    ]);
  });

  test('YAML syntax errors', async () => {
    const file = await script('syntax', 'flow: ./flow.yaml\nconversations:\n  - name: "x\n');
    expect(await problemsOf(file)).toEqual([
      expect.stringMatching(/^syntax\.transcript\.yaml:4:1 : Missing closing "quote/),
    ]);
  });

  test('aliases are expanded only up to a limit, as in flow files (no alias bombs)', async () => {
    const file = await script(
      'bomb',
      [
        'flow: ./flow.yaml',
        'a: &a [q, q, q, q, q, q, q, q, q, q]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'conversations: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ].join('\n'),
    );
    expect(await problemsOf(file)).toEqual([
      expect.stringMatching(/^bomb\.transcript\.yaml:null:null : cannot expand the document: .*alias/),
    ]);
  });

  test('a missing flow file is shown at the script`s flow key', async () => {
    const file = await script(
      'no-flow',
      '# a comment\nflow: ./missing.yaml\nconversations:\n  - name: x\n    steps: [{ user: hi }]\n',
    );
    expect(await problemsOf(file)).toEqual([
      expect.stringMatching(
        /^no-flow\.transcript\.yaml:2:1 flow: .*missing\.yaml: cannot read the file: .*ENOENT/,
      ),
    ]);
  });

  test('an invalid flow gives the flow file`s own problems', async () => {
    await writeFile(
      path.join(dir, 'broken.yaml'),
      'flow: broken\nfaq:\n  - id: a\n    questions: [hi]\n    anwser: x\n',
    );
    const file = await script(
      'broken-flow',
      'flow: ./broken.yaml\nconversations:\n  - name: x\n    steps: [{ user: hi }]\n',
    );
    expect(await problemsOf(file)).toContain(
      'broken.yaml:5:5 faq[0].anwser: unknown key "anwser" (did you mean "answer"?)',
    );
  });
});

function failures(report: TranscriptReport): string[] {
  return report.conversations.flatMap((conversation) =>
    conversation.steps.filter((step) => !step.passed).map((step) => `${conversation.name}: ${step.diff}`),
  );
}
