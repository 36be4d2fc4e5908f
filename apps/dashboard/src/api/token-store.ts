const KEY = 'fleetprune.token';

/**
 * The operator token for this tab: taken from a `?token=` link (then removed from the address
 * bar, so it is not left in history or shared by copy-paste) or the login form, and kept in
 * sessionStorage, which ends with the tab.
 */
export function initialToken(location: Location = window.location): string | null {
  const url = new URL(location.href);
  const fromLink = url.searchParams.get('token');
  if (fromLink) {
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    saveToken(fromLink);
    return fromLink;
  }
  return sessionStorage.getItem(KEY);
}

/** Keeps the token for this tab. */
export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token (log out, or the server refused it). */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
