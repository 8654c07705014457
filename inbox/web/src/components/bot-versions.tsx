import { useEffect, useState } from 'react';
import { type BotFlowSummary, type BotFlowVersion, botApi } from '../api/bot-api';
import { ApiError, errorText } from '../api/http';
import { fullTime } from './format';

interface BotVersionsProps {
  flow: BotFlowSummary;
  /** The operator holds `bot-flows:write` (admins) and was not refused: rollback, enable, disable. */
  canWrite: boolean;
  onChanged(): void;
  /** The API refused a change (403): the panel stops offering changes. */
  onDenied(): void;
}

const DENIED = 'Only an administrator can change bot flows.';

/** A flow's uploaded versions, newest first, with rollback and enable/disable for admins. */
export function BotVersions({ flow, canWrite, onChanged, onDenied }: BotVersionsProps) {
  const [versions, setVersions] = useState<BotFlowVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const folder = flow.origin === 'folder';

  useEffect(() => {
    if (folder) return;
    botApi
      .versions(flow.name)
      .then(setVersions)
      .catch((failure) => setError(errorText(failure)));
  }, [flow.name, folder]);

  function refused(failure: unknown) {
    const forbidden = failure instanceof ApiError && failure.status === 403;
    if (forbidden) onDenied();
    setError(forbidden ? DENIED : errorText(failure));
  }

  function change(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    action()
      .then(onChanged, refused)
      .finally(() => setBusy(false));
  }

  return (
    <section className="bot-section" data-testid="bot-versions">
      <div className="bot-section-head">
        <h4>Versions</h4>
        {canWrite && !folder && (
          <button
            type="button"
            disabled={busy}
            data-testid="bot-toggle"
            onClick={() => change(() => botApi.setEnabled(flow.name, !flow.enabled))}
          >
            {flow.enabled ? 'Disable the flow' : 'Enable the flow'}
          </button>
        )}
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {folder ? (
        <p className="muted">
          This flow is read from the flows folder: edit its YAML file and it reloads on save. Upload it with{' '}
          <code>POST /v1/bot-flows</code> to keep versions you can roll back to.
        </p>
      ) : versions === null ? (
        !error && <p className="muted">Loading versions…</p>
      ) : (
        <VersionList
          versions={versions}
          onRollback={canWrite ? (version) => change(() => botApi.rollback(flow.name, version)) : undefined}
          busy={busy}
        />
      )}
    </section>
  );
}

interface VersionListProps {
  versions: BotFlowVersion[];
  /** Absent: the operator may not roll back (no button is shown). */
  onRollback?: (version: number) => void;
  busy: boolean;
}

function VersionList({ versions, onRollback, busy }: VersionListProps) {
  if (versions.length === 0) return <p className="muted">No versions uploaded yet.</p>;
  const active = versions.find((item) => item.active)?.version ?? null;
  return (
    <ol className="bot-version-list">
      {versions.map((item) => (
        <li key={item.version} data-testid="bot-version" data-version={item.version}>
          <strong>v{item.version}</strong>
          {item.active && <span className="mine-badge">active</span>}
          <span className="muted">
            {fullTime(item.createdAt)} · {item.createdBy.name} · {item.entryCount} FAQ entries
          </span>
          {onRollback && !item.active && (
            <button
              type="button"
              disabled={busy}
              data-testid="bot-rollback"
              onClick={() => onRollback(item.version)}
            >
              {active !== null && item.version > active
                ? `Make v${item.version} active`
                : `Roll back to v${item.version}`}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}
