/**
 * The municipality's word list, matched the way people read: "Éclairage", "eclairage" and
 * "ÉCLAIRAGE" are one word (accents and case folded), and a word matches whole words only
 * ("con" does not match "économie" or "contre"). An entry of several words matches them in a row
 * ("gros mot" in "un gros mot ici", not in "gros et mot").
 */

/** Letters and digits of any script; everything else (spaces, punctuation, apostrophes) separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case, without accents (NFD, then combining marks dropped); ligatures spelled out. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/giu, 'oe')
    .replace(/æ/giu, 'ae')
    .replace(/ß/gu, 'ss')
    .toLowerCase();
}

export function words(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
}

/**
 * The entries of `list` found in `text`, as written in the list, in the list's order (each once).
 * Linear in the text for each entry; lists are bounded (HELD_WORDS_MAX entries).
 */
export function matchHeldWords(text: string, list: readonly string[]): string[] {
  if (list.length === 0) return [];
  const tokens = words(text);
  if (tokens.length === 0) return [];
  const present = new Set(tokens);
  const found: string[] = [];
  for (const entry of list) {
    const needle = words(entry);
    if (needle.length === 0 || !needle.every((w) => present.has(w))) continue;
    if (needle.length === 1 || containsRun(tokens, needle)) found.push(entry);
  }
  return found;
}

function containsRun(tokens: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= tokens.length; i++) {
    for (let j = 0; j < needle.length; j++) if (tokens[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * A list as stored: trimmed, inner spaces collapsed, entries that fold to the same words kept
 * once (the first spelling wins), in the order given.
 */
export function normalizeHeldWords(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const entry = raw.trim().replace(/\s+/gu, ' ');
    const key = words(entry).join(' ');
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}
