import { Injectable } from '@nestjs/common';
import { PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';

/** A person's notifications (with how each was delivered), preferences and push subscriptions. Erasure deletes them all. */
@Injectable()
@ProvidesPersonalData('notifications')
export class NotificationsPersonalData implements PersonalDataContributor {
  constructor(private readonly users: UsersService) {}

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    // One after the other: they share the export's transaction, and so its connection.
    const notifications: unknown[] = await manager.query(
      `SELECT n.id, n.type, n.subject_type AS "subjectType", n.subject_id AS "subjectId", n.municipality_id AS "municipalityId",
              n.data, n.in_app AS "inApp", n.read_at AS "readAt", n.created_at AS "createdAt",
              COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'sentAt', d.sent_at) ORDER BY d.channel)
                          FROM notification_deliveries d WHERE d.notification_id = n.id), '[]') AS deliveries
         FROM notifications n WHERE n.user_id = $1 ORDER BY n.created_at, n.id`,
      [userId],
    );
    const preferences: unknown[] = await manager.query(
      `SELECT type, channel, enabled, updated_at AS "updatedAt" FROM notification_preferences WHERE user_id = $1 ORDER BY type, channel`,
      [userId],
    );
    const [settings]: unknown[] = await manager.query(`SELECT email_mode AS "emailMode" FROM notification_settings WHERE user_id = $1`, [userId]);
    const pushSubscriptions: unknown[] = await manager.query(
      `SELECT endpoint, created_at AS "createdAt" FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return { notifications, preferences, settings: settings ?? { emailMode: 'immediate' }, pushSubscriptions };
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    // Deliveries go with their notifications (ON DELETE CASCADE).
    await manager.query(`DELETE FROM notifications WHERE user_id = $1`, [userId]);
    // Mails sent before to the person as a contact without an account (a report filed for them),
    // when this account's verified address is that contact's; an unverified one proves nothing.
    const user = await this.users.getProfile(userId).catch(() => null);
    if (user?.emailVerifiedAt && user.email) {
      await manager.query(`DELETE FROM notifications WHERE user_id IS NULL AND contact_email = $1`, [user.email.toLowerCase()]);
    }
    await manager.query(`DELETE FROM notification_preferences WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM notification_settings WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM push_subscriptions WHERE user_id = $1`, [userId]);
  }
}
