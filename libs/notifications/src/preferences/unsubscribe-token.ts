import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_CHANNELS, NotificationChannel } from '../notification.types';

/** Every type at once: what the digest's unsubscribe link turns off. */
export const ALL_TYPES = '*';

export interface UnsubscribeClaim {
  userId: string;
  /** A notification type, or ALL_TYPES. */
  type: string;
  channel: NotificationChannel;
}

const SIGNATURE_LENGTH = 43; // HMAC-SHA256 in unpadded base64url
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signed, stateless one-click unsubscribe tokens (RFC 8058): the link in a mail works without
 * signing in and never expires, as mail clients may call it long after. Only letters, digits,
 * `-` and `_`, so it survives any mail client. The key is derived from the JWT secret, for this
 * purpose only.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('notification-unsubscribe-v1').digest();
  }

  sign(claim: UnsubscribeClaim): string {
    const payload = Buffer.from(`${claim.userId}|${claim.type}|${claim.channel}`, 'utf8').toString('base64url');
    return this.mac(payload) + payload;
  }

  /** The claim, or null for anything we did not sign. */
  verify(token: string): UnsubscribeClaim | null {
    if (typeof token !== 'string' || token.length <= SIGNATURE_LENGTH || token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
    const signature = Buffer.from(token.slice(0, SIGNATURE_LENGTH));
    const payload = token.slice(SIGNATURE_LENGTH);
    const expected = Buffer.from(this.mac(payload));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
    const [userId, type, channel, ...rest] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
    if (rest.length || !UUID.test(userId ?? '') || !type || !(NOTIFICATION_CHANNELS as readonly string[]).includes(channel)) return null;
    return { userId, type, channel: channel as NotificationChannel };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
