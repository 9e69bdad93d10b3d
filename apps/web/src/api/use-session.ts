import { useEffect, useState } from 'preact/hooks';
import { currentTokens, onTokensChange, type Tokens } from './session';

/** The token pair, re-rendering on sign-in and sign-out. */
export function useSession(): Tokens | null {
  const [tokens, setState] = useState(currentTokens);
  useEffect(() => onTokensChange(setState), []);
  return tokens;
}
