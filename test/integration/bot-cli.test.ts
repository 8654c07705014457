import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../contract/helpers/sandbox-control';
import { childEnv, runVestnik } from '../helpers/vestnik-process';

/**
 * `vestnik bot test` and `vestnik bot chat` from the built CLI, on a machine with nothing started:
 * no configuration, no MongoDB or Redis in the environment, run from an empty folder.
 */
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/vestnik.js');
const examples = path.join(root, 'bot-flows/examples');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bot-cli-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const bot = (args: string[]) => runVestnik(['bot', ...args], {}, dir);

async function transcript(name: string, body: string): Promise<string> {
  const file = path.join(dir, `${name}.transcript.yaml`);
  await writeFile(file, `flow: ${path.join(examples, 'shop-faq.yaml')}\nconversations:\n${body}`);
  return file;
}

/** `vestnik bot chat` with its stdin piped: write lines, read what it printed, end it. */
function chat(args: string[]) {
  const child = spawn(process.execPath, [bin, 'bot', 'chat', ...args], { env: childEnv({}), cwd: dir });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    say: (line: string) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    out: () => out,
    err: () => err,
    exit,
    /** Waits until stdout contains `text` (printed after the bot answered a line). */
    printed: (text: string) =>
      eventually(() => (out.includes(text) ? true : undefined), `"${text}" in\n${out}${err}`, 20_000),
  };
}

describe('vestnik bot test', () => {
  test('the example transcripts pass: exit 0 and a ✓ per conversation', async () => {
    const result = await bot(['test', examples]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ статус заказа — сначала неверный номер, потом верный [telegram]');
    expect(result.stdout).toContain(
      '✓ «Нет» на кнопке уведомления — карта заблокирована, диалог у сотрудника [telegram]',
    );
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout).toMatch(/2 file\(s\) passed, 0 failed, 0 invalid\n$/);
  });

  test('a failing conversation: exit 1, its step`s file:line and the diff', async () => {
    const file = await transcript(
      'failing',
      '  - name: wrong price\n    steps:\n      - user: сколько стоит доставка\n        bot: [{ contains: Здравствуйте }, Доставка бесплатная.]\n',
    );
    const result = await bot(['test', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ wrong price [telegram]\n      failing.transcript.yaml:5 step 1, user: "сколько стоит доставка"',
    );
    expect(result.stdout).toContain('  - "Доставка бесплатная."\n        + "Доставка курьером по Москве');
    expect(result.stdout).toContain('0 of 1 conversation passed');
  });

  test('an invalid script: exit 2 and every problem as file:line:col path: message', async () => {
    const file = await transcript(
      'invalid',
      '  - name: typo\n    steps:\n      - usr: привет\n  - name: no steps\n',
    );
    const result = await bot(['test', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'Invalid transcripts or flows:',
        'invalid.transcript.yaml:5:9 conversations[0].steps[0].usr: unknown key "usr"',
        'invalid.transcript.yaml:5:9 conversations[0].steps[0]: a step has exactly one of `user` (the customer types) or `press` (the customer presses a button)',
        'invalid.transcript.yaml:6:5 conversations[1].steps: is required',
        '',
      ].join('\n'),
    );
  });

  test('an invalid script among valid ones still exits 2, and --json prints the reports and problems', async () => {
    const passing = await transcript(
      'passing',
      '  - name: hi\n    steps:\n      - user: меню\n        buttons: [Доставка, Статус заказа, Возврат, Оплата, Оператор]\n',
    );
    const result = await bot(['test', '--json', passing, path.join(dir, 'missing.transcript.yaml')]);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as {
      passed: boolean;
      reports: {
        file: string;
        passed: boolean;
        conversations: { steps: { line: number; passed: boolean }[] }[];
      }[];
      problems: { file: string; message: string }[];
    };
    expect(json.passed).toBe(false);
    expect(json.reports).toHaveLength(1);
    expect(json.reports[0]).toMatchObject({ file: passing, passed: true });
    expect(json.reports[0]?.conversations[0]?.steps).toEqual([
      expect.objectContaining({ line: 5, passed: true }),
    ]);
    expect(json.problems).toEqual([expect.objectContaining({ message: 'no such file or directory' })]);
  });
});

describe('vestnik bot chat', () => {
  test('piped lines: replies with their buttons, numbered picks, commands, a hand-off, then silence', async () => {
    const session = chat([
      path.join(examples, 'shop-faq.yaml'),
      '--channel',
      'sms',
      '--now',
      '2026-11-22T23:00:00+03:00',
    ]);
    for (const line of ['меню', '2', '12345', '/channel telegram', '654321', '/state', 'оператор', 'алло'])
      session.say(line);
    session.end();
    expect(await session.exit).toBe(0);
    const out = session.out();
    expect(session.err()).toBe('');
    expect(out).toContain('Chatting with flow "shop-faq" on sms.');
    expect(out).toContain('      1. Доставка\n      2. Статус заказа');
    expect(out).toContain('you › 2\nbot › Введите номер заказа — 6 цифр');
    expect(out).toContain('you › 12345\nbot › Номер заказа — это 6 цифр');
    expect(out).toContain('[1] Позвать оператора  [2] Главное меню');
    expect(out).toContain('"order-number": "654321"');
    expect(out).toContain('bot › Сейчас операторы не работают.');
    expect(out).toContain('→ передано оператору (keyword)');
    expect(out).toMatch(/you › алло\n\(the operators own this conversation/);
  });

  test('the flow reloads when its file changes, and the conversation goes on', async () => {
    const flow = path.join(dir, 'reloading.yaml');
    await copyFile(path.join(examples, 'shop-faq.yaml'), flow);
    const session = chat([flow, '--channel', 'vk']);
    session.say('привет');
    await session.printed('FAQ: no match');
    const source = await readFile(flow, 'utf8');
    await writeFile(
      flow,
      source.replace(/^fallback: >-\n(?: {2}.*\n)+/m, 'fallback: Новый ответ после перезагрузки.\n'),
    );
    await session.printed('reloading.yaml reloaded; the conversation goes on');
    session.say('абырвалг');
    await session.printed('bot › Новый ответ после перезагрузки.');
    session.say('/quit');
    expect(await session.exit).toBe(0);
  });

  test('an invalid flow file: exit 2 with its problems', async () => {
    const flow = path.join(dir, 'broken.yaml');
    await writeFile(flow, 'flow: broken\nfaq:\n  - id: a\n    questions: [hi]\n    anwser: x\n');
    const session = chat([flow]);
    session.end();
    expect(await session.exit).toBe(2);
    expect(session.err()).toContain(
      'broken.yaml:5:5 faq[0].anwser: unknown key "anwser" (did you mean "answer"?)',
    );
  });
});
