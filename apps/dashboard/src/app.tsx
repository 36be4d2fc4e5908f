import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import { clearToken, initialToken, saveToken } from './api/token-store';
import { SessionContext } from './live/app-context';
import { LiveStream } from './live/live-stream';
import { Shell } from './views/shell';
import { LoginView } from './views/login-view';

/** The token gate: the login form until a token works, then the dashboard. */
export function App() {
  const [token, setToken] = useState<string | null>(() => initialToken());
  const [notice, setNotice] = useState<string | null>(null);

  const logOut = (message: string | null) => {
    clearToken();
    setNotice(message);
    setToken(null);
  };

  const session = useMemo(() => {
    if (!token) return null;
    const expired = () => logOut('The server refused the operator token. Enter a valid one.');
    const api = new ApiClient(token, expired);
    return { api, live: new LiveStream(api.headers, expired) };
  }, [token]);

  useEffect(() => {
    if (!session) return;
    session.live.start();
    return () => session.live.close();
  }, [session]);

  if (!session)
    return (
      <LoginView
        notice={notice}
        onLogin={(accepted) => {
          saveToken(accepted);
          setNotice(null);
          setToken(accepted);
        }}
      />
    );
  return (
    <SessionContext.Provider value={session}>
      <Shell onLogout={() => logOut(null)} />
    </SessionContext.Provider>
  );
}
