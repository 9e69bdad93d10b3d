import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMailMessage, MailMessageOptions, writeMimeMessage } from './mail-message';

/** A small seeded generator, so a failure names the case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// What makes MIME encoders stumble: whitespace before line ends, lone CR and LF, '=' and dots at
// line starts, long words, and characters of one to four UTF-8 bytes.
const PIECES = [' ', '  ', '\t', '\n', '\r\n', '\r', '.', '..', '=', '=3D', 'a', 'Report', 'é', 'résolu', '—', '·', 'Ж', 'Журнал', '😀', '<p>', '&amp;', '-- ', 'x'.repeat(120)];

function text(next: () => number, maxPieces: number): string {
  let out = '';
  const n = Math.floor(next() * maxPieces);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

function mail(seed: number): MailMessageOptions {
  const next = random(seed);
  return {
    from: next() < 0.5 ? 'Plateforme citoyenne <no-reply@civic.example>' : 'no-reply@civic.example',
    to: next() < 0.5 ? `person${seed}@example.org` : `"Zoë ${seed}" <zoe${seed}@example.org>`,
    subject: text(next, 12).replace(/[\r\n]/g, ' ') || 'Hello',
    text: text(next, 400),
    html: `<p>${text(next, 400)}</p>`,
    headers: { 'List-Unsubscribe': `<https://civic.example/u?token=${seed}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    messageId: `<${seed}.email@civic.example>`,
    date: new Date(Date.UTC(2026, 10, 22, 8, 0, 0)),
  };
}

// Quoted-printable's soft line breaks ('=' at a line end; not the '?=' closing an encoded word):
// nodemailer's streaming encoder may place them elsewhere than its one-shot wrap(), both valid.
const withoutSoftBreaks = (message: string) => message.replace(/(?<!\?)=\r\n/g, '');

describe('composeMailMessage', () => {
  it('writes what nodemailer streams for the same message, soft line breaks aside, in lines of at most 76', async () => {
    const encodings = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) {
      const root = new MailComposer(mail(seed)).compile();
      const written = writeMimeMessage(root).toString('latin1');
      const streamed = (await root.build()).toString('latin1');
      root.childNodes.forEach((child) => encodings.add(String(child.getTransferEncoding())));
      if (withoutSoftBreaks(written) !== withoutSoftBreaks(streamed)) throw new Error(`seed ${seed}: the written message differs from the streamed one`);
      const body = written.slice(written.indexOf('\r\n\r\n'));
      const long = body.split(/\r\n|\n|\r/).find((line) => line.length > 76);
      if (long) throw new Error(`seed ${seed}: a line of ${long.length} characters`);
    }
    // The cases covered every encoding a text part can get.
    expect([...encodings].sort()).toEqual(['7bit', 'base64', 'quoted-printable']);
  });

  it('gives the envelope and a multipart/alternative message with both parts', () => {
    const message = composeMailMessage({ ...mail(7), to: 'ada@example.org', subject: 'Lille · Signalement résolu', text: 'Bonjour Ada,\n', html: '<p>Bonjour Ada,</p>' });
    expect(message.envelope).toEqual({ from: 'no-reply@civic.example', to: ['ada@example.org'] });
    const raw = message.raw.toString('utf8');
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toContain('Subject: =?UTF-8?Q?Lille_=C2=B7_Signalement_r=C3=A9solu?=');
    expect(raw).toContain('Message-ID: <7.email@civic.example>');
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nBonjour Ada,\n/);
    expect(raw.endsWith('--\r\n')).toBe(true);
  });
});
