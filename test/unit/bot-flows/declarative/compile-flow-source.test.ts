import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  compileFlowSource,
  FlowSourceInvalid,
  flowFileSchema,
  loadFlowFile,
  MAX_FLOW_SOURCE_CHARS,
} from '../../../../bot-flows/declarative';
import { buttonsOf, converse, textsOf } from '../blocks/converse';

const valid = 'test/fixtures/bot-flows/valid';

describe('compileFlowSource', () => {
  test('JSON is read like YAML: a JSON flow file compiles and runs', async () => {
    const flow = compileFlowSource(readFileSync(`${valid}/support.json`, 'utf8'), {
      fileName: 'support.json',
    });
    expect(flow).toMatchObject({
      name: 'support-json',
      channels: ['telegram', 'whatsapp'],
      handoff: {
        afterMisses: 1,
        keywords: ['agent'],
        buttonLabel: null,
        message: 'An agent will answer here.',
      },
    });
    const chat = converse(flow);
    expect(textsOf(await chat.say('I forgot my pasword'))).toEqual([
      'Use “Forgot password” on the sign-in page.',
    ]);
    expect(buttonsOf(await chat.say('i need help'))).toEqual([
      'Opening hours → menu:main:0',
      'Reset password → goto:reset',
      'Agent → bot:handoff',
    ]);
    expect(textsOf(await chat.say('1'))).toEqual(['We answer 9:00–18:00 UTC.']);
    expect(textsOf(await chat.say('thanks a lot'))).toEqual(['You are welcome!']);
    const missed = await chat.say('the weather?');
    expect(missed.handoff).toEqual({ reason: 'misses' });
  });

  test('reactions: a list of payloads, replyTo, and goto running a collect', async () => {
    const source = [
      'flow: rating',
      'on:',
      '  - { payload: [rate:1, rate:2], replyTo: survey, reply: Жаль. Что не так?, goto: reason }',
      'collect:',
      '  reason: { ask: Опишите в двух словах., error: Напишите текстом., then: { reply: "Записали: {{value}}" } }',
    ].join('\n');
    const flow = compileFlowSource(source, { fileName: 'rating.yaml' });
    const survey = { kind: 'notification' as const, name: 'survey', text: 'Оцените доставку' };
    const chat = converse(flow, { replyTo: survey });
    expect(textsOf(await chat.press('rate:2', '2'))).toEqual(['Жаль. Что не так?', 'Опишите в двух словах.']);
    expect(textsOf(await chat.say('курьер опоздал'))).toEqual(['Записали: курьер опоздал']);
    expect((await converse(flow).press('rate:1')).outcome).toBe('missed');
  });

  test('problems name the file it was given', () => {
    let thrown: unknown;
    try {
      compileFlowSource('flow: x\nfaq: []\n', { fileName: 'uploaded/v3.yaml' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlowSourceInvalid);
    expect((thrown as FlowSourceInvalid).problems).toEqual([
      { file: 'uploaded/v3.yaml', path: 'faq', line: 2, column: 1, message: 'must list at least one entry' },
    ]);
  });

  test('a source larger than the limit is refused before parsing', () => {
    const huge = `flow: x\nfallback: "${'a'.repeat(MAX_FLOW_SOURCE_CHARS)}"\n`;
    expect(() => compileFlowSource(huge, { fileName: 'huge.yaml' })).toThrow(
      `huge.yaml larger than ${MAX_FLOW_SOURCE_CHARS} characters`,
    );
  });

  test('YAML aliases are expanded only up to a limit (no alias bombs)', () => {
    const bomb = [
      'flow: x',
      'a: &a [q, q, q, q, q, q, q, q, q, q]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() => compileFlowSource(bomb, { fileName: 'bomb.yaml' })).toThrow(FlowSourceInvalid);
    expect(() => compileFlowSource(bomb, { fileName: 'bomb.yaml' })).toThrow(
      /^bomb\.yaml cannot expand the document: .*alias/,
    );
  });

  test('the schema converts to JSON Schema for the docs (input side)', () => {
    const schema = z.toJSONSchema(flowFileSchema, { io: 'input' }) as {
      required?: string[];
      properties?: object;
    };
    expect(schema.required).toEqual(['flow']);
    expect(Object.keys(schema.properties ?? {})).toEqual(
      expect.arrayContaining(['faq', 'menus', 'collect', 'on', 'businessHours', 'handoff']),
    );
  });
});

describe('loadFlowFile', () => {
  test('a .json file is a declarative flow', async () => {
    expect((await loadFlowFile(`${valid}/support.json`)).name).toBe('support-json');
  });

  test.each([
    ['module-flow.mjs', 'module-flow'],
    ['named-export.cjs', 'named-export'],
  ])('the module %s loads as the flow %s', async (file, name) => {
    const flow = await loadFlowFile(`${valid}/${file}`);
    expect(flow.name).toBe(name);
    expect(textsOf(await converse(flow).say('hello'))).toEqual([`from ${name}`]);
  });
});
