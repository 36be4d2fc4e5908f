import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { LiveStream } from './live-stream';

/** The logged-in session: the API client and the live stream. */
export interface Session {
  api: ApiClient;
  live: LiveStream;
}

export const SessionContext = createContext<Session | null>(null);

/** The current session; only rendered inside the logged-in shell. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the logged-in shell');
  return session;
}
