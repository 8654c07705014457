import type { BotButton, BotContext, BotMiddleware } from '../engine/bot-context';
import { createPhraseDetector, type PhraseOptions } from '../matching';
import { type ButtonSpec, pressedGoto, replyWith, toBotButton, toBotButtons } from './buttons';

/** A menu option: any button, or one that answers in place with a text (and buttons of its own). */
export type MenuOption = ButtonSpec | { label: string; answer: string; buttons?: readonly ButtonSpec[] };

export interface MenuOptions {
  /** Unique in the flow; a `goto:<id>` button shows the menu. */
  id: string;
  text: string;
  options: readonly MenuOption[];
  /** Typed words or phrases that show the menu too ("меню", "start"), typos tolerated. */
  keywords?: readonly string[];
  /** How keywords are matched (languages, synonyms). */
  matching?: PhraseOptions;
}

/** The menu middleware, with a way to show it from another block (a FAQ entry, a reaction). */
export interface MenuBlock extends BotMiddleware {
  readonly id: string;
  show(ctx: BotContext): void;
}

/**
 * A text with a button per option. The menu shows on its `goto:<id>` button or a keyword; an
 * option that answers in place carries the payload `menu:<id>:<index>`, handled here. Options
 * that go elsewhere, hand off or open a link are ordinary buttons handled by their target.
 */
export function menu(options: MenuOptions): MenuBlock {
  const buttons = options.options.map((option, index) => menuButton(options.id, option, index));
  const show = (ctx: BotContext) => replyWith(ctx, options.text, buttons);
  const asked = createPhraseDetector(options.keywords ?? [], options.matching);
  const answerFor = inPlaceAnswers(options);
  const middleware: BotMiddleware = (ctx, next) => {
    const answered = answerFor(ctx.message.payload);
    if (answered) return replyWith(ctx, answered.text, answered.buttons);
    const typed = ctx.message.kind === 'text' && asked(ctx.message.text);
    if (typed || pressedGoto(ctx, options.id)) return show(ctx);
    return next();
  };
  return Object.assign(middleware, { id: options.id, show });
}

/** The payload of a menu option that answers in place. */
export function menuOptionPayload(menuId: string, index: number): string {
  return `menu:${menuId}:${index}`;
}

function menuButton(menuId: string, option: MenuOption, index: number): BotButton {
  if ('answer' in option) return { label: option.label, payload: menuOptionPayload(menuId, index) };
  return toBotButton(option);
}

interface InPlaceAnswer {
  text: string;
  buttons: BotButton[] | undefined;
}

/**
 * The answer of the in-place option a payload presses, or null. The payload prefix and each
 * answer's buttons are computed here once, not per message.
 */
function inPlaceAnswers(options: MenuOptions): (payload: string | null) => InPlaceAnswer | null {
  const prefix = menuOptionPayload(options.id, 0).slice(0, -1);
  const answers = options.options.map((option) =>
    'answer' in option ? { text: option.answer, buttons: toBotButtons(option.buttons) } : null,
  );
  return (payload) => {
    const index = payload?.startsWith(prefix) ? payload.slice(prefix.length) : '';
    if (!/^\d{1,3}$/.test(index)) return null;
    return answers[Number(index)] ?? null;
  };
}
