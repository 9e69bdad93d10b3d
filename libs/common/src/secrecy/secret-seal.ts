import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The labels a seal derives its two keys from: one library's purpose, never shared with another. */
export interface SecretSealPurposes {
  /** Derives the AES-256-GCM key (e.g. `budgets-ballot-seal-v1`). */
  seal: string;
  /** Derives the HMAC key of `lookup` (e.g. `budgets-receipt-lookup-v1`). */
  lookup: string;
}

/**
 * What secret ballots and anonymous answers need while they may still change (secret ballots in
 * budgets, anonymous surveys): AES-256-GCM sealing bound to its scope (a budget, a survey — the
 * associated data), so a row read from the database says nothing without the app's secret, and a
 * keyed lookup, so a row can be found again by what its owner holds (a receipt, their account)
 * without a database reader being able to compute that link. Keys are derived per purpose from
 * the app secret. See libs/budgets/README.md, "Secrecy: threat model".
 */
export class SecretSeal {
  private readonly key: Buffer;
  private readonly lookupKey: Buffer;

  constructor(secret: string, purposes: SecretSealPurposes) {
    this.key = createHmac('sha256', secret).update(purposes.seal).digest();
    this.lookupKey = createHmac('sha256', secret).update(purposes.lookup).digest();
  }

  /** Keyed hash of `value` within `scope`: stable, unlinkable without the secret. */
  lookup(value: string, scope: string): string {
    return createHmac('sha256', this.lookupKey).update(`${scope}:${value}`).digest('hex');
  }

  seal(value: unknown, scope: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(scope));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  open<T>(sealed: string, scope: string): T {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(scope));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8')) as T;
  }
}

/**
 * Fisher–Yates with a cryptographic source, in place. When sealed rows are released as anonymous
 * ones, they are written in this order (one INSERT, one transaction, fresh random ids), so neither
 * their physical order (ctid) nor their xmin follows the order people took part in.
 */
export function cryptoShuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
