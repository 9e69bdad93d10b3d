/**
 * The signed-in session: the token pair in localStorage (so a reload keeps you signed in) and the
 * listeners (socket, header) told when it changes. Nothing else stores tokens.
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'civic.session';
type Listener = (tokens: Tokens | null) => void;
const listeners = new Set<Listener>();

export function currentTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function setTokens(tokens: Tokens | null): void {
  if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener(tokens);
}

export function onTokensChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The user id carried by the access token (its `sub`), without a request. */
export function currentUserId(): string | null {
  const token = currentTokens()?.accessToken;
  if (!token) return null;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string };
    return payload.sub ?? null;
  } catch {
    return null;
  }
}
