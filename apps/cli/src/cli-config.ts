export { loadConfigOrExit } from '@app/common';

/** Human-readable progress lines of the CLI (the apps themselves log JSON through pino). */
export function say(tag: string, message: string): void {
  process.stdout.write(`[${tag}] ${message}\n`);
}

/** Database URL without its password, for messages. */
export function redactUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}
