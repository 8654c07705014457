/**
 * A deterministic synthetic FAQ (Russian and English entries, alternating) and queries against it,
 * for tests and the matcher benchmark. Entries are distinct up to 500 (25 services × 10 aspects ×
 * 2 languages); past that they repeat with a branch number, which alone tells them apart.
 */
import {
  type Aspect,
  ENGLISH_ASPECTS,
  ENGLISH_TOPICS,
  RUSSIAN_ASPECTS,
  RUSSIAN_TOPICS,
  type RussianTopic,
  UNRELATED_TEXTS,
} from './synthetic-faq-vocabulary';
import type { FaqEntrySpec } from './types';

/** A query and the entry it should match (null: it should miss). */
export interface SampleQuery {
  text: string;
  expectedId: string | null;
}

const TOPICS_PER_LANGUAGE = 25;
const ENTRIES_PER_ROUND = 500;

/** `count` distinct-looking FAQ entries, the same for the same count. */
export function buildSyntheticFaq(count: number): FaqEntrySpec[] {
  return Array.from({ length: count }, (_, index) => syntheticEntry(index));
}

function syntheticEntry(index: number): FaqEntrySpec {
  const slot = Math.floor(index / 2) % (ENTRIES_PER_ROUND / 2);
  const topic = slot % TOPICS_PER_LANGUAGE;
  const round = Math.floor(index / ENTRIES_PER_ROUND);
  const russian = index % 2 === 0;
  const aspects = russian ? RUSSIAN_ASPECTS : ENGLISH_ASPECTS;
  const aspect = aspects[Math.floor(slot / TOPICS_PER_LANGUAGE)] as Aspect;
  const fill = russian ? russianFiller(RUSSIAN_TOPICS[topic] as RussianTopic) : englishFiller(topic);
  const branch = round === 0 ? '' : russian ? ` (филиал ${round + 1})` : ` (branch ${round + 1})`;
  return {
    id: `${russian ? 'ru' : 'en'}-${topic}-${aspect.slug}${round === 0 ? '' : `-${round}`}`,
    questions: aspect.questions.map((question) => capitalize(fill(question)) + branch),
    keywords: [fill(aspect.keyword)],
  };
}

function russianFiller(topic: RussianTopic): (template: string) => string {
  return (template) =>
    template.replaceAll('{nom}', topic.nom).replaceAll('{gen}', topic.gen).replaceAll('{acc}', topic.acc);
}

function englishFiller(topic: number): (template: string) => string {
  return (template) => template.replaceAll('{x}', ENGLISH_TOPICS[topic] as string);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * `count` queries against `entries`, the same for the same input: every fifth an unrelated text
 * (expected to miss), the others an entry's question reworded: lower-cased without punctuation, with
 * two letters of its longest word swapped (a typo), with a greeting around it, with its words in
 * reverse order or after a polite request.
 */
export function sampleQueries(entries: readonly FaqEntrySpec[], count: number): SampleQuery[] {
  return Array.from({ length: count }, (_, index) => {
    if (index % 5 === 4 || entries.length === 0) {
      return { text: UNRELATED_TEXTS[pick(index, 1, UNRELATED_TEXTS.length)] as string, expectedId: null };
    }
    const entry = entries[pick(index, 2, entries.length)] as FaqEntrySpec;
    const question = entry.questions[pick(index, 3, entry.questions.length)] ?? '';
    const reword = REWORDINGS[pick(index, 4, REWORDINGS.length)] as Rewording;
    return { text: reword(question), expectedId: entry.id };
  });
}

type Rewording = (question: string) => string;

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

const REWORDINGS: readonly Rewording[] = [
  (question) => question.toLowerCase().replace(/[?,.!]/g, ''),
  (question) => withTypo(question),
  (question) =>
    /[а-яё]/i.test(question) ? `Здравствуйте! ${question} Спасибо` : `Hello! ${question} Thanks`,
  (question) => words(question).reverse().join(' '),
  (question) => (/[а-яё]/i.test(question) ? `Подскажите, пожалуйста: ${question}` : `Please, ${question}`),
];

/** Swaps two letters in the middle of the longest word. */
function withTypo(question: string): string {
  const longest = words(question).reduce((best, word) => (word.length > best.length ? word : best), '');
  if (longest.length < 5) return question;
  const at = Math.floor(longest.length / 2);
  const typo = longest.slice(0, at - 1) + longest.charAt(at) + longest.charAt(at - 1) + longest.slice(at + 1);
  return question.replace(longest, typo);
}

/** A well-spread choice in `0..size-1` for the `index`th query (a multiplicative hash, salted per use). */
function pick(index: number, salt: number, size: number): number {
  return (Math.imul(index ^ salt, 0x9e3779b1) >>> 0) % size;
}
