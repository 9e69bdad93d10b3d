import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { UserTokenPurpose } from './user-token.entity';

/** What a sealed token is bound to: it opens only for the same person and purpose. */
export interface MailTokenContext {
  userId: string;
  purpose: UserTokenPurpose;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_SEALED_LENGTH = 512;

/**
 * The single-use token of a verification or reset mail, encrypted for the outbox event that
 * carries it to the worker (AES-256-GCM, the key derived from the JWT secret for this purpose
 * only). Outbox rows stay a week and are readable by whoever reads the database or its backups;
 * there the token is ciphertext, no link anyone could follow. The worker still mails it from the
 * committed row alone, whenever it gets to it: a copy held only in Redis or in the job would be
 * lost with them. Whoever holds both the database and the JWT secret could open it — and could
 * already sign access tokens for any session.
 */
export class MailTokenSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('identity-mail-token-v1').digest();
  }

  /** `v1.` and base64url of IV, ciphertext and tag. */
  seal(token: string, context: MailTokenContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The token, or null for anything this key did not seal for this context (altered, another secret, another person or purpose). */
  open(sealed: unknown, context: MailTokenContext): string | null {
    if (typeof sealed !== 'string' || sealed.length > MAX_SEALED_LENGTH || !sealed.startsWith(`${FORMAT}.`)) return null;
    const raw = Buffer.from(sealed.slice(FORMAT.length + 1), 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

function associatedData({ userId, purpose }: MailTokenContext): Buffer {
  return Buffer.from(`${purpose}:${userId}`, 'utf8');
}
