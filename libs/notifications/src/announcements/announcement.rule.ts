import { Injectable } from '@nestjs/common';
import type { Locale } from '@app/identity';
import { NotificationContent, NotificationRule, NotificationRuleHandler, RenderedNotification } from '../rules/notification-rule';

export const ANNOUNCEMENT_TYPE = 'announcement.published';

/** What an announcement's notifications carry: its words in both languages. */
export interface AnnouncementData {
  announcementId: string;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  path: string | null;
}

/** The words of an announcement's notification in one language; a library with its own type renders with this too. */
export function renderAnnouncement(notification: NotificationContent, locale: Locale): RenderedNotification {
  const data = notification.data as unknown as AnnouncementData;
  return { title: data.title[locale] ?? data.title.fr, body: data.body[locale] ?? data.body.fr, path: data.path ?? '/' };
}

/**
 * Announcements are addressed to an audience by AnnouncementsService, not drawn from events: this
 * rule reads no event; it declares the type (so people switch it per channel) and words it.
 */
@Injectable()
@NotificationRule({ events: [], types: [ANNOUNCEMENT_TYPE] })
export class AnnouncementNotificationRule implements NotificationRuleHandler {
  async recipients(): Promise<[]> {
    return [];
  }

  render(notification: NotificationContent, locale: Locale): RenderedNotification {
    return renderAnnouncement(notification, locale);
  }
}
