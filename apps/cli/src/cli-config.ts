import { AppConfig, ConfigError, loadConfig } from '@app/common';

/**
 * Loads the configuration for a command-line entry point. A ConfigError is printed as its one-line
 * reason and ends the process with status 1; anything else is a bug and propagates.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

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
