import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM sealing of ballots and drafts while voting is open: a sealed row is bound to its
 * budget (associated data) and unreadable without the app's secret, so reading the database
 * during the vote tells who voted, never what.
 */
export class BallotSeal {
  private readonly key: Buffer;
  private readonly lookupKey: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('budgets-ballot-seal-v1').digest();
    this.lookupKey = createHmac('sha256', secret).update('budgets-receipt-lookup-v1').digest();
  }

  /**
   * Finds a sealed ballot by its receipt while voting is open. Keyed, so a database reader cannot
   * match it to the receipt's public SHA-256 published after the close.
   */
  receiptLookup(receipt: string, budgetId: string): string {
    return createHmac('sha256', this.lookupKey).update(`${budgetId}:${receipt}`).digest('hex');
  }

  seal(value: unknown, budgetId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(budgetId));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  open<T>(sealed: string, budgetId: string): T {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(budgetId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8')) as T;
  }
}
