import { join } from 'node:path';
import {
  compileFlowSource,
  FlowSourceInvalid,
  type FlowSourceProblem,
  loadFlowFile,
} from '../../../../bot-flows/declarative';

const folder = 'test/fixtures/bot-flows/invalid';

/** Each problem as `line:column path: message`, in file order (the file is checked separately). */
const table: [string, string[]][] = [
  [
    'unknown-key.yaml',
    [
      '3:5 faq[0]: a FAQ entry needs exactly one of answer, goto (it has none)',
      '5:5 faq[0].anwser: unknown key "anwser" (did you mean "answer"?)',
    ],
  ],
  [
    'missing-goto-target.yaml',
    [
      '5:26 greeting.buttons[0].goto: goto "deliverry" names no FAQ entry, menu or collect (did you mean "delivery"?)',
      '6:25 greeting.buttons[1].goto: goto "returns-policy" names no FAQ entry, menu or collect',
    ],
  ],
  [
    'faq-goto-faq.yaml',
    ['5:5 faq[0].goto: goto "price" names a FAQ entry; a FAQ entry\'s goto names a menu or a collect'],
  ],
  [
    'duplicate-id.yaml',
    [
      '6:5 faq[1].id: id "delivery" is already used by faq[0].id',
      '10:3 menus.delivery: id "delivery" is already used by faq[0].id',
    ],
  ],
  [
    'bad-collect.yaml',
    [
      '5:5 collect.order-number.pattern: the pattern does not compile: Invalid regular expression: /^(\\d{6}$/u: Unterminated group',
      '8:7 collect.order-number.then.reply: unknown placeholder {{order}} (known: {{value}})',
      '9:3 collect.phone: give either type or pattern, not both',
      '14:5 collect.phone.maxTries: must be at least 1',
    ],
  ],
  [
    'bad-hours.yaml',
    [
      '4:3 businessHours.timezone: is not a known IANA time zone (e.g. Europe/Moscow)',
      '7:5 businessHours.days.tue: "18:00-09:00" ends before it starts (ranges do not cross midnight)',
      '8:5 businessHours.days.wed: "9-18" is not a range like 09:00-18:00',
      '9:5 businessHours.days.fri: "12:00-18:00" overlaps another range',
      '10:5 businessHours.days.sunday: unknown key "sunday" (allowed: mon, tue, wed, thu, fri, sat, sun)',
      '11:14 businessHours.holidays[0]: must be a date like 2026-12-31',
      '12:3 businessHours.closedMessage: unknown placeholder {{phone}} (known: {{hours}}, {{timezone}})',
    ],
  ],
  [
    'wrong-types.yaml',
    [
      '2:1 language: must be ru, en or a list of them',
      '3:13 matching.threshold: must be a number, not string "high"',
      '6:5 faq[0].questions: must be an array, not string "Сколько стоит доставка?"',
      '7:5 faq[0].answer: must be a string, not null (an empty value)',
      '12:11 faq[1].buttons[0].label: must not be empty',
      '13:24 faq[1].buttons[1].url: must be an http(s) URL',
      '14:9 faq[1].buttons[2]: a button needs exactly one of goto, handoff, url, payload (it has goto and handoff)',
      '15:12 handoff.afterMisses: must be at least 1',
      '15:28 handoff.button: must be a label or false (no button)',
    ],
  ],
  [
    'bad-reactions.yaml',
    [
      '3:5 on[0].payload: payloads starting with goto:, menu: or bot: are reserved (use goto / handoff instead)',
      '5:5 on[1]: a reaction needs reply, goto or handoff: true',
      '6:5 on[2]: a reaction needs payload, texts or keywords',
    ],
  ],
  ['nothing-to-run.yaml', ['2:1 a flow needs at least one of greeting, faq, menus, collect, on']],
  ['not-a-mapping.yaml', ['1:1 a flow file is a mapping (flow: …, faq: …)']],
  ['duplicate-key.yaml', ['4:1 Map keys must be unique']],
  [
    'bad-name.json',
    [
      '2:3 flow: a flow name is 1–64 letters, digits, "-" or "_"',
      '11:14 menus["главное"]: an id is 1–64 letters, digits, "-" or "_", starting with a letter or digit',
    ],
  ],
];

/** Syntax errors, kept here rather than as files so that the formatter does not trip over them. */
const syntaxErrors: [string, string, string][] = [
  [
    'broken.yaml',
    'flow: broken\nfaq:\n  - id: delivery\n    questions: [Сколько стоит доставка?\n    answer: Доставка 300 ₽.\n',
    '5:5 Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  [
    'broken.json',
    '{\n  "flow": "broken-json",\n  "greeting": { "text": "Привет" }\n  "fallback": "Не понял."\n}\n',
    '4:3 Missing , between flow map items',
  ],
];

function placed(problem: FlowSourceProblem): string {
  return `${problem.line}:${problem.column} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

async function problemsOf(file: string): Promise<FlowSourceProblem[]> {
  const error = await loadFlowFile(file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FlowSourceInvalid)) throw new Error(`${file} did not fail with FlowSourceInvalid`);
  expect(error.code).toBe('bot_flow.invalid');
  return error.problems;
}

describe('invalid flow files', () => {
  test.each(table)('%s: every problem with its path, line and column', async (name, expected) => {
    const file = join(folder, name);
    const problems = await problemsOf(file);
    expect(problems.map(placed)).toEqual(expected);
    expect(new Set(problems.map((problem) => problem.file))).toEqual(new Set([file]));
  });

  test.each(syntaxErrors)('%s: a syntax error has its line and column', (fileName, source, expected) => {
    let thrown: unknown;
    try {
      compileFlowSource(source, { fileName });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlowSourceInvalid);
    expect((thrown as FlowSourceInvalid).problems.map(placed)).toEqual([expected]);
    expect((thrown as FlowSourceInvalid).problems[0]?.file).toBe(fileName);
  });

  test('the message lists one "file:line:col path: message" line per problem', async () => {
    const file = join(folder, 'unknown-key.yaml');
    await expect(loadFlowFile(file)).rejects.toThrow(
      `${file}:3:5 faq[0]: a FAQ entry needs exactly one of answer, goto (it has none)\n` +
        `${file}:5:5 faq[0].anwser: unknown key "anwser" (did you mean "answer"?)`,
    );
  });

  test('a missing file, an unknown extension and a module without a flow have no line', async () => {
    const missing = join(folder, 'no-such-flow.yaml');
    const [notFound] = await problemsOf(missing);
    expect(notFound).toMatchObject({ file: missing, path: '', line: null, column: null });
    expect(notFound?.message).toMatch(/^cannot read the file: ENOENT/);
    expect(await problemsOf('flows/shop.txt')).toEqual([
      {
        file: 'flows/shop.txt',
        path: '',
        line: null,
        column: null,
        message: 'a flow file ends in .yaml, .yml, .json, .js, .cjs, .mjs (got ".txt")',
      },
    ]);
    const noFlow = 'test/fixtures/bot-flows/valid/no-flow.mjs';
    expect((await problemsOf(noFlow))[0]?.message).toBe(
      'the module exports no flow: write `export default defineFlow({ … })`',
    );
  });
});
