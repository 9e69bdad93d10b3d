import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EmailMode, NotificationChannel } from '../notification.types';

/** A person's choice for one type on one channel. No row means the default: on. */
@Entity('notification_preferences')
export class NotificationPreferenceEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'text' })
  type: string;

  @PrimaryColumn({ type: 'text' })
  channel: NotificationChannel;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Per-person settings that are not per type. No row means immediate email. */
@Entity('notification_settings')
export class NotificationSettingsEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text', default: 'immediate' })
  emailMode: EmailMode;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
