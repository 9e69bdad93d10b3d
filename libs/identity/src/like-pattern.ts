/** A LIKE pattern matching `text` literally (`%`, `_` and the escape character itself). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
