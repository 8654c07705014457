import { useCallback, useEffect, useMemo, useState } from 'react';
import { type BotFlowSummary, botApi } from '../api/bot-api';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type { ChannelSummary } from '../api/types';
import { BotReport } from './bot-report';
import { BotVersions } from './bot-versions';
import { channelLabel, fullTime } from './format';

const ranges = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
] as const;
type RangeDays = (typeof ranges)[number]['days'];

/**
 * The bot at work: the workspace's flows (version, enabled, channels, where they come from) and,
 * for the chosen one, what it answered and did not, over the last 7 or 30 days, and its versions.
 */
export function BotPanel({ canWrite }: { canWrite: boolean }) {
  const [flows, setFlows] = useState<BotFlowSummary[] | null>(null);
  const [channels, setChannels] = useState<ChannelSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [days, setDays] = useState<RangeDays>(7);
  const [reloadKey, setReloadKey] = useState(0);
  const [denied, setDenied] = useState(false);

  const load = useCallback(() => {
    setError(null);
    setReloadKey((key) => key + 1);
    botApi
      .flows()
      .then(setFlows)
      .catch((failure) => setError(errorText(failure)));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    inboxApi
      .channels()
      .then(setChannels)
      .catch(() => {});
  }, []);

  const flow = flows?.find((item) => item.name === chosen) ?? flows?.[0];
  const channelNames = useMemo(
    () => new Map(channels.map((channel) => [channel.id, channel.name || channelLabel(channel.type)])),
    [channels],
  );

  return (
    <main className="moderation bot-panel" data-testid="bot-panel">
      <div className="moderation-head">
        <h2>Bot flows</h2>
        <div className="bot-head-actions">
          <select
            aria-label="Report period"
            data-testid="bot-range"
            value={days}
            onChange={(event) => setDays(Number(event.target.value) === 30 ? 30 : 7)}
          >
            {ranges.map((range) => (
              <option key={range.days} value={range.days}>
                {range.label}
              </option>
            ))}
          </select>
          <button type="button" onClick={load} data-testid="bot-refresh">
            Refresh
          </button>
        </div>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {flows === null && !error && <p className="muted">Loading…</p>}
      {flows?.length === 0 && (
        <p className="bot-empty" data-testid="bot-empty">
          No bot flows yet — upload one with <code>POST /v1/bot-flows</code> or put a YAML file in the flows
          folder.
        </p>
      )}
      {flows && flows.length > 0 && (
        <FlowTable
          flows={flows}
          chosen={flow?.name ?? null}
          onChoose={setChosen}
          channelName={(id) => channelNames.get(id) ?? channelLabel(id)}
        />
      )}
      {flow && (
        <section className="bot-flow" data-testid="bot-flow" data-flow={flow.name}>
          <h3>{flow.name}</h3>
          <BotReport key={`${flow.name}:${days}:${reloadKey}`} flow={flow.name} days={days} />
          <BotVersions
            key={`${flow.name}:${reloadKey}`}
            flow={flow}
            canWrite={canWrite && !denied}
            onChanged={load}
            onDenied={() => setDenied(true)}
          />
        </section>
      )}
    </main>
  );
}

interface FlowTableProps {
  flows: BotFlowSummary[];
  chosen: string | null;
  onChoose(name: string): void;
  channelName(idOrType: string): string;
}

function FlowTable({ flows, chosen, onChoose, channelName }: FlowTableProps) {
  return (
    <table className="bot-table bot-flows" data-testid="bot-flows">
      <thead>
        <tr>
          <th scope="col">Flow</th>
          <th scope="col">Active version</th>
          <th scope="col">State</th>
          <th scope="col">Channels</th>
          <th scope="col">Source</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((flow) => (
          <tr
            key={flow.name}
            className={flow.name === chosen ? 'selected' : undefined}
            data-testid="bot-flow-row"
            data-flow={flow.name}
          >
            <td>
              <button
                type="button"
                className="link"
                aria-current={flow.name === chosen ? 'true' : undefined}
                onClick={() => onChoose(flow.name)}
              >
                {flow.name}
              </button>
            </td>
            <td>{activeVersionLabel(flow)}</td>
            <td>
              <span className={flow.enabled ? 'bot-on' : 'bot-off'}>
                {flow.enabled ? 'enabled' : 'disabled'}
              </span>
            </td>
            <td>{flow.channels.length ? flow.channels.map(channelName).join(', ') : 'all channels'}</td>
            <td>{flow.origin === 'folder' ? 'flows folder' : 'uploaded (API)'}</td>
            <td className="muted">{fullTime(flow.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function activeVersionLabel(flow: BotFlowSummary): string {
  if (flow.origin === 'folder') return 'file';
  return flow.activeVersion === null ? 'none active' : `v${flow.activeVersion}`;
}
