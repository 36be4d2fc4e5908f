import { useState } from 'preact/hooks';
import { ApiClient } from '../api/api-client';
import { ApiError, messageOf } from '../api/api-error';

/** The operator token form; the token is checked against the API before it is kept. */
export function LoginView(props: { notice: string | null; onLogin: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(props.notice);
  const [checking, setChecking] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return setError('Enter the operator token.');
    setChecking(true);
    try {
      await new ApiClient(candidate).profiles();
      props.onLogin(candidate);
    } catch (e) {
      setError(
        e instanceof ApiError && e.unauthorized
          ? 'That token was refused: check FLEETPRUNE_ADMIN_TOKEN or DATA_DIR/admin-token on the server.'
          : `Could not check the token: ${messageOf(e)}`,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <main class="login">
      <h1>fleetprune</h1>
      <p>Fleet operators' dashboard. Sign in with the operator token the server printed at first start.</p>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </main>
  );
}
