import { type FormEvent, useState } from 'react';
import { ApiError, errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';

/** E-mail and password; a workspace id is asked for only when the e-mail is in several workspaces. */
export function LoginView({ onLoggedIn }: { onLoggedIn(): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspaceId, setWorkspaceId] = useState('');
  const [needsWorkspace, setNeedsWorkspace] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await inboxApi.login(email.trim(), password, needsWorkspace ? workspaceId.trim() : undefined);
      onLoggedIn();
    } catch (failure) {
      if (failure instanceof ApiError && failure.problem.code === 'auth.workspace_required')
        setNeedsWorkspace(true);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <h1>
          Vestnik <span className="muted">inbox</span>
        </h1>
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            data-testid="login-email"
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            data-testid="login-password"
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {needsWorkspace && (
          <label>
            Workspace id
            <input
              required
              pattern="[a-f0-9]{24}"
              value={workspaceId}
              onChange={(event) => setWorkspaceId(event.target.value)}
            />
          </label>
        )}
        {error && (
          <div className="form-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
