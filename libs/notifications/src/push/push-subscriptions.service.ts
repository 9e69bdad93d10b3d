import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { InvalidPushEndpointError, PushNotConfiguredError } from '../notifications.errors';
import { pushEndpointProblemResolved } from './push-endpoint';

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushSubscriptionView {
  id: string;
  endpoint: string;
  createdAt: Date;
}

/** Browsers a person allowed to receive web push; a person keeps at most this many (oldest go first). */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 20;

@Injectable()
export class PushSubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
  ) {}

  /** The VAPID public key browsers subscribe with; null when push is off. */
  publicKey(): string | null {
    return this.config.notifications.vapid?.publicKey ?? null;
  }

  /**
   * Saves a browser's subscription. The endpoint identifies the browser profile, so subscribing it
   * again (new keys, or another account signed in there) moves it to the caller.
   */
  async subscribe(userId: string, input: PushSubscriptionInput): Promise<PushSubscriptionView> {
    if (!this.config.notifications.vapid) throw new PushNotConfiguredError();
    const problem = await pushEndpointProblemResolved(input.endpoint, this.config.notifications.allowInsecurePushEndpoints);
    if (problem) throw new InvalidPushEndpointError(problem);
    return this.tx.run(async (manager) => {
      const [row]: Array<{ id: string; endpoint: string; created_at: Date }> = await manager.query(
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth
         RETURNING id, endpoint, created_at`,
        [userId, input.endpoint, input.keys.p256dh, input.keys.auth],
      );
      await manager.query(
        `DELETE FROM push_subscriptions WHERE id IN (
           SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2)`,
        [userId, MAX_PUSH_SUBSCRIPTIONS_PER_USER],
      );
      return { id: row.id, endpoint: row.endpoint, createdAt: row.created_at };
    });
  }

  /** Idempotent; only ever removes the caller's own. */
  async unsubscribe(userId: string, endpoint: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2`, [userId, endpoint]);
  }
}
