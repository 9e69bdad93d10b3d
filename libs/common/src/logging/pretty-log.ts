/**
 * Development logs a person can read: one line per entry, one per request (method, url, status,
 * time — not the headers), instead of pino's JSON. Production keeps JSON (LOG_FORMAT=json), which
 * log collectors parse. Dev only, so parsing each JSON line back costs nothing that matters; it
 * keeps the pipeline identical in both formats (same redaction, same serializers).
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields every line has, or that the request summary already shows. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'context', 'req', 'res', 'responseTime', 'err', 'reqId']);

type Entry = Record<string, unknown> & { level?: number; time?: number; msg?: string; context?: string };

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  return d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

function paint(text: string, code: string, colors: boolean): string {
  return colors ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** One log entry (pino's JSON object) as one readable line; an error's stack follows, indented. */
export function formatLogLine(entry: Entry, colors = false): string {
  const level = entry.level ?? 30;
  const head = `${paint(clock(entry.time), '90', colors)} ${paint((LEVELS[level] ?? String(level)).padEnd(5), COLORS[level] ?? '0', colors)}`;
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  let body: string;
  if (req && res) {
    const status = res.statusCode ?? 0;
    const statusText = paint(String(status), status >= 500 ? '31' : status >= 400 ? '33' : '32', colors);
    const took = typeof entry.responseTime === 'number' ? ` ${Math.round(entry.responseTime)} ms` : '';
    body = `${req.method ?? '?'} ${req.url ?? '?'} ${statusText}${took}`;
    // A failed request says why (pino-http's message carries it).
    if (status >= 500 && entry.msg && entry.msg !== 'request completed') body += ` — ${entry.msg}`;
  } else {
    body = `${entry.context ? paint(`[${entry.context}] `, '90', colors) : ''}${entry.msg ?? ''}`;
  }
  const extras = Object.entries(entry)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined && (value === null || typeof value !== 'object'))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (extras.length) body += paint(` ${extras.join(' ')}`, '90', colors);
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err?.stack ? `\n    ${err.stack.split('\n').join('\n    ')}` : '';
  return `${head} ${body}${stack}`;
}

/** A pino destination that writes `formatLogLine` to stdout. */
export function prettyLogDestination(out: NodeJS.WritableStream = process.stdout, colors = Boolean((out as { isTTY?: boolean }).isTTY)): { write(msg: string): void } {
  return {
    write(msg: string): void {
      let line: string;
      try {
        line = formatLogLine(JSON.parse(msg) as Entry, colors);
      } catch {
        line = msg.trimEnd();
      }
      out.write(`${line}\n`);
    },
  };
}
