import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification and reset mail events used to carry their token in clear, and outbox rows are
 * kept a week. New events carry it sealed (libs/identity MailTokenSeal); this removes the clear
 * tokens already there once they are of no more use: mailed (the identity-mails consumer
 * recorded the event), or older than any token's validity (48 hours). An event not mailed yet
 * keeps its token, so that mail still goes out. Data only.
 */
export class ScrubMailTokens1763860001000 implements MigrationInterface {
  name = 'ScrubMailTokens1763860001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE outbox_events e SET payload = e.payload - 'token'
      WHERE e.type IN ('identity.verification_mail_requested', 'identity.password_reset_requested')
        AND e.payload ? 'token'
        AND (e.occurred_at < now() - interval '48 hours'
             OR EXISTS (SELECT 1 FROM event_consumptions c WHERE c.consumer = 'identity-mails' AND c.event_id = e.id))`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the schema is unchanged, and the removed tokens were spent or expired.
  }
}
