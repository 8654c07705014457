import type { Button } from '../../adapters/contract';
import type { ChatTurn, painter, ShownReply } from '../testing';

type Paint = ReturnType<typeof painter>;

/** A turn as `vestnik bot chat` prints it: the replies with their buttons, the FAQ match, a hand-off. */
export function turnLines(turn: ChatTurn, paint: Paint): string[] {
  if (turn.outcome === 'operators')
    return [
      paint('dim', '(the operators own this conversation: the bot stays silent; /reset starts a new one)'),
    ];
  return [
    ...turn.replies.flatMap((reply) => replyLines(reply, paint)),
    ...matchLines(turn, paint),
    ...(turn.error === undefined ? [] : [paint('red', `  the flow threw: ${errorText(turn.error)}`)]),
    ...(turn.handoff ? [paint('bold', `→ передано оператору (${turn.handoff.reason})`)] : []),
  ];
}

function replyLines(reply: ShownReply, paint: Paint): string[] {
  const [first = '', ...rest] = reply.rendered.text.split('\n');
  const text = [`${paint('bold', 'bot ›')} ${first}`, ...rest.map((line) => `      ${line}`)];
  const buttons = reply.rendered.buttons;
  return buttons.length > 0 ? [...text, `      ${buttonRow(buttons)}`] : text;
}

/** `[1] Доставка  [2] Оплата  [Сайт ↗ https://…]`: choices numbered as `/press <n>` takes them. */
function buttonRow(buttons: readonly Button[]): string {
  let number = 0;
  return buttons
    .map((button) =>
      'url' in button ? `[${button.label} ↗ ${button.url}]` : `[${++number}] ${button.label}`,
    )
    .join('  ');
}

function matchLines(turn: ChatTurn, paint: Paint): string[] {
  const match = turn.match;
  if (!match) return [];
  const confidence = match.confidence.toFixed(2);
  const text = match.entryId ? `FAQ: ${match.entryId} (${confidence})` : `FAQ: no match (best ${confidence})`;
  return [`      ${paint('dim', text)}`];
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
