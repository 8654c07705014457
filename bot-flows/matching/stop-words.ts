/**
 * Short RU/EN stop-word lists. Dropped: prepositions, conjunctions, particles, pronouns, forms of
 * "какой"/"what", copulas, greetings and polite fillers ("привет", "пожалуйста", "please"). Kept on purpose:
 * negations ("не", "нет", "not", "no", "dont") and "да"/"yes", which change what a message asks, and
 * "еще". Question words ("сколько", "где", "когда", "how", "where", …) are kept but weigh less
 * ({@link QUESTION_WORD_WEIGHT}): they tell "где мой заказ" from "когда мой заказ" without letting
 * "сколько" alone match every price question. Lists hold normalized words (ё already е).
 */

const RUSSIAN = `а без бы в во вам вас ваш ваша ваше вашего вашей ваши вот все вы до для его
  ее же за здравствуйте и из или им их к как какая какие каким каких какое какой какую ко ли либо мне меня мой
  моя мое моего моей мои мы на над нам нас наш о об он она они оно от по под подскажите пожалуйста пж плиз
  при про с со скажите так там то тот ту тут у уже чем что чтобы это этот эта эти эту я есть привет`;

const ENGLISH = `a an the is are am was were be been being do does did i me my mine you your yours we our us it
  its this that these those of to in on at for with by from about into and or but if so there here please pls
  plz what whats which im ive hi hello hey`;

const QUESTIONS = `сколько когда где куда откуда почему зачем можно how when where why can could would`;

function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((word) => word !== ''));
}

const STOP_WORDS = new Set([...wordSet(RUSSIAN), ...wordSet(ENGLISH)]);
const QUESTION_WORDS = wordSet(QUESTIONS);

/** Weight factor of a question word's term next to a content word's. */
export const QUESTION_WORD_WEIGHT = 0.4;

/** Whether a normalized word carries no meaning of its own for matching. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) && !QUESTION_WORDS.has(word);
}

/** Whether a normalized word is a question word (kept, but weighing {@link QUESTION_WORD_WEIGHT}). */
export function isQuestionWord(word: string): boolean {
  return QUESTION_WORDS.has(word);
}
