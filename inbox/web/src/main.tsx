import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, setUnauthorizedHandler } from './api/http';
import { inboxApi } from './api/inbox-api';
import type { Me } from './api/types';
import { LoginView } from './components/login-view';
import { Workspace } from './components/workspace';
import './styles.css';

type Session =
  | { status: 'checking' }
  | { status: 'anonymous' }
  | { status: 'in'; me: Me }
  | { status: 'error'; message: string };

function App() {
  const [session, setSession] = useState<Session>({ status: 'checking' });

  const check = useCallback(() => {
    inboxApi
      .me()
      .then((me) => setSession(me ? { status: 'in', me } : { status: 'anonymous' }))
      .catch((error) => {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403))
          setSession({ status: 'anonymous' });
        else setSession({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      });
  }, []);

  const loggedOut = useCallback(() => setSession({ status: 'anonymous' }), []);
  useEffect(() => {
    setUnauthorizedHandler(loggedOut);
    check();
  }, [check, loggedOut]);

  if (session.status === 'checking') return <div className="splash muted">Loading…</div>;
  if (session.status === 'error')
    return (
      <div className="splash">
        <p className="form-error">{session.message}</p>
        <button type="button" onClick={check}>
          Try again
        </button>
      </div>
    );
  if (session.status === 'anonymous') return <LoginView onLoggedIn={check} />;
  return <Workspace me={session.me} onLogout={loggedOut} />;
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
