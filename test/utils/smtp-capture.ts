import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const libqp: { decode(input: string): Buffer } = require('libqp');

export interface CapturedMail {
  to: string[];
  subject: string;
  /** Decoded text/plain part (or the whole body when not multipart). */
  text: string;
  headers: Record<string, string>;
  raw: string;
}

function decodeHeaderWords(value: string): string {
  // RFC 2047: whitespace between two adjacent encoded words is not part of the text.
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : libqp.decode(data.replace(/_/g, ' ')).toString('utf8'),
  );
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeHeaderWords(line.slice(i + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'quoted-printable') return libqp.decode(body).toString('utf8');
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Just enough MIME to read the text part of what nodemailer sends. */
export function parseMail(raw: string, to: string[]): CapturedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  let text = decodeBody(body, headers['content-transfer-encoding']);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1);
    const plain = parts
      .map((part) => {
        const at = part.search(/\r?\n\r?\n/);
        return { headers: parseHeaders(part.slice(0, at).replace(/^\r?\n/, '')), body: part.slice(at).replace(/^\r?\n\r?\n/, '') };
      })
      .find((p) => (p.headers['content-type'] ?? '').startsWith('text/plain'));
    if (plain) text = decodeBody(plain.body, plain.headers['content-transfer-encoding']);
  }
  return { to, subject: headers.subject ?? '', text, headers, raw };
}

/**
 * A real SMTP server on a random local port that keeps what it receives, so tests read the
 * mails the worker actually sent. `responseDelayMs` holds each DATA reply, to catch a sender
 * in the middle of a delivery; `refuse` makes it answer 451 (try again later).
 */
export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  refuse = false;
  responseDelayMs = 0;
  /** Called as soon as a message's data has fully arrived, before the (maybe delayed) reply. */
  onData?: (mail: CapturedMail) => void;
  private server!: SMTPServer;
  private waiters: Array<() => void> = [];
  /** Sessions whose client hung up: a mail still waiting for its reply there was never accepted. */
  private closedSessions = new Set<string>();
  /** Server errors other than a client resetting its connection. */
  readonly errors: Error[] = [];

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose: (session) => {
        this.closedSessions.add(session.id);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) {
            const err = new Error('Try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            return callback(err);
          }
          const mail = parseMail(
            Buffer.concat(chunks).toString('utf8'),
            session.envelope.rcptTo.map((r) => r.address),
          );
          this.onData?.(mail);
          setTimeout(() => {
            if (this.closedSessions.has(session.id)) return;
            this.mails.push(mail);
            this.waiters.splice(0).forEach((w) => w());
            callback();
          }, this.responseDelayMs);
        });
      },
    });
    // A worker SIGKILLed mid-session (the crash tests) may leave its socket reset rather than
    // closed; smtp-server re-emits that on the server, where an unhandled 'error' would end the
    // whole suite. The session is gone either way (onClose above); other errors are kept.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.errors.push(error);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /** Waits until a mail matching `predicate` has been accepted. */
  async waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs = 15000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching mail within ${timeoutMs} ms (got ${this.mails.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  to(address: string): CapturedMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()) || m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Extracts the token from a `...?token=XYZ` link in a mail. */
export function tokenFrom(mail: CapturedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`No token link in mail: ${mail.text}`);
  return match[1];
}
