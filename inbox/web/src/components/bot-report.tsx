import { useEffect, useState } from 'react';
import {
  type BotFlowReport,
  type BotTotals,
  botApi,
  lastDays,
  type NeverMatchedEntry,
  type UnansweredQuestion,
} from '../api/bot-api';
import { errorText } from '../api/http';
import { fullTime } from './format';

/** What a flow answered over the last `days` days: totals, questions it missed, entries never used. */
export function BotReport({ flow, days }: { flow: string; days: number }) {
  const [report, setReport] = useState<BotFlowReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    botApi
      .report(flow, lastDays(days), abort.signal)
      .then(setReport)
      .catch((failure) => {
        if (!abort.signal.aborted) setError(errorText(failure));
      });
    return () => abort.abort();
  }, [flow, days]);

  if (error)
    return (
      <div className="form-error" role="alert">
        {error}
      </div>
    );
  if (!report) return <p className="muted">Loading the report…</p>;
  return (
    <div className="bot-report" data-testid="bot-report">
      <Totals totals={report.totals} days={days} />
      <Unanswered items={report.unanswered} days={days} />
      <NeverMatched items={report.neverMatched} />
    </div>
  );
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

function Totals({ totals, days }: { totals: BotTotals; days: number }) {
  if (totals.turns === 0)
    return (
      <p className="bot-empty" data-testid="bot-no-turns">
        The bot has not talked to anyone in the last {days} days.
      </p>
    );
  const figures = [
    { key: 'turns', label: 'Messages handled', value: String(totals.turns) },
    { key: 'answered', label: 'Answered', value: percent(totals.answered, totals.turns) },
    { key: 'missed', label: 'Not understood', value: String(totals.missed) },
    { key: 'handoffs', label: 'Handed over', value: String(totals.handoffs) },
    { key: 'errors', label: 'Errors', value: String(totals.errors) },
  ];
  return (
    <dl className="bot-totals" data-testid="bot-totals">
      {figures.map((figure) => (
        <div
          key={figure.key}
          className={`bot-total bot-total-${figure.key}`}
          data-testid={`bot-total-${figure.key}`}
        >
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Unanswered({ items, days }: { items: UnansweredQuestion[]; days: number }) {
  return (
    <section className="bot-section">
      <h4>Questions the bot did not understand</h4>
      {items.length === 0 ? (
        <p className="muted">None in the last {days} days.</p>
      ) : (
        <table className="bot-table" data-testid="bot-unanswered">
          <thead>
            <tr>
              <th scope="col">Customer wrote</th>
              <th scope="col">Times</th>
              <th scope="col">Last</th>
              <th scope="col">
                <span className="sr-only">Conversation</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.normalized} data-testid="bot-unanswered-item">
                <td className="bot-question" title={item.normalized}>
                  {item.example}
                </td>
                <td data-testid="bot-unanswered-count">{item.count}</td>
                <td className="muted">{fullTime(item.lastAt)}</td>
                <td>
                  <a href={`#/conversations/${item.conversationId}`} data-testid="bot-unanswered-open">
                    Open conversation
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NeverMatched({ items }: { items: NeverMatchedEntry[] }) {
  return (
    <section className="bot-section">
      <h4>FAQ entries never matched</h4>
      {items.length === 0 ? (
        <p className="muted">Every FAQ entry answered someone in this period (or the flow has none).</p>
      ) : (
        <ul className="bot-never" data-testid="bot-never-matched">
          {items.map((item) => (
            <li key={item.entryId}>
              {item.title} <span className="muted small">({item.entryId})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
