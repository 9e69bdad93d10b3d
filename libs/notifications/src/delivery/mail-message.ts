import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import type { MimeNodeEnvelope } from 'nodemailer/lib/mime-node';
import * as base64 from 'nodemailer/lib/base64';
import * as qp from 'nodemailer/lib/qp';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Deterministic per delivery, so a duplicate is recognisable downstream. */
  messageId: string;
}

export interface MailMessageOptions extends OutgoingMail {
  from: string;
  /** Only for tests; nodemailer dates a message when it is composed. */
  date?: Date;
}

export interface MailMessage {
  raw: Buffer;
  envelope: MimeNodeEnvelope;
}

/**
 * A notification mail as bytes, composed by nodemailer's MailComposer (addresses, encoded
 * headers, the multipart tree, boundaries, transfer encodings) and written out in one pass.
 *
 * Why not `MimeNode.build()`: it writes the same bytes through a stream pipeline per part
 * (PassThrough, an encoder Transform, pipeline's AbortController, setImmediate between parts),
 * which measured 430 µs of CPU for one of our mails against 140 µs for this, and was the largest
 * single cost of a notification in the worker. The bodies are encoded with nodemailer's own
 * quoted-printable and base64 functions, which its encoder streams apply chunk by chunk; a spec
 * checks the output is what `build()` gives, but for where quoted-printable's soft line breaks
 * fall (the streams wrap slice by slice; both keep lines within 76 characters).
 */
export function composeMailMessage(options: MailMessageOptions): MailMessage {
  const root = new MailComposer(options).compile();
  return { raw: writeMimeMessage(root), envelope: root.getEnvelope() };
}

/** The message `root.build()` gives, written synchronously. */
export function writeMimeMessage(root: MimeNode): Buffer {
  const parts: string[] = [];
  writeNode(root, parts);
  let message = parts.join('');
  // What MimeNode's LastNewline stage ensures: the message ends with a line break.
  if (!message.endsWith('\n')) message += message.endsWith('\r') ? '\n' : '\r\n';
  return Buffer.from(message, 'utf8');
}

/** MimeNode.stream(), for nodes whose content is text in memory (the only kind our mails have). */
function writeNode(node: MimeNode, parts: string[]): void {
  if (node.newline || (node.content !== undefined && typeof node.content !== 'string')) {
    throw new Error('composeMailMessage writes text parts held in memory only');
  }
  // Headers first: building them settles the transfer encoding, the multipart flag and the boundary.
  parts.push(node.buildHeaders(), '\r\n\r\n');
  if (node.content) {
    const encoding = node.getTransferEncoding();
    parts.push(encoding === 'quoted-printable' ? qp.wrap(qp.encode(node.content), 76) : encoding === 'base64' ? base64.wrap(base64.encode(node.content), 76) : node.content);
  }
  if (node.multipart) {
    node.childNodes.forEach((child, i) => {
      parts.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
      writeNode(child, parts);
    });
    parts.push(`\r\n--${node.boundary}--\r\n`);
  }
}
