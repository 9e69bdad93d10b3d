import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import type { Locale } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { CommentsService } from '../comments/comments.service';
import { SubjectRegistry } from '../subjects/subject-registry';

/** The notification types of the engagement library. */
export const ENGAGEMENT_NOTIFICATION_TYPES = {
  commentReplied: 'comment.replied',
} as const;

const excerpt = (text: unknown, max = 280): string => {
  const s = typeof text === 'string' ? text.trim() : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/**
 * The author of a comment hears of a reply to it, whatever the subject (a report, a proposal…).
 * The notification is about the thread's subject, so its link opens that subject's page. (The
 * pipeline never tells the replier, who may answer their own comment.)
 */
@Injectable()
@NotificationRule({ events: ['engagement.comment_added'], types: [ENGAGEMENT_NOTIFICATION_TYPES.commentReplied] })
export class CommentReplyNotificationRule implements NotificationRuleHandler {
  constructor(
    private readonly comments: CommentsService,
    private readonly registry: SubjectRegistry,
  ) {}

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = event.payload as DomainEventMap['engagement.comment_added'];
    if (!p.inReplyToId) return [];
    const answered = await this.comments.authorOf(p.inReplyToId, manager);
    if (!answered) return [];
    const reply = await this.comments.publicView(p.commentId, manager);
    // A reply moderation already took down, or deleted at once, tells nobody.
    if (!reply || reply.body === null) return [];
    return [
      {
        userId: answered,
        type: ENGAGEMENT_NOTIFICATION_TYPES.commentReplied,
        subject: { type: p.subjectType, id: p.subjectId },
        data: { commentId: p.commentId, inReplyToId: p.inReplyToId, authorName: reply.author?.displayName ?? null, excerpt: excerpt(reply.body) },
      },
    ];
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    const collection = this.registry.collectionOf(n.subjectType) ?? n.subjectType;
    const path = `/${collection}/${n.subjectId}`;
    const who = typeof n.data.authorName === 'string' ? n.data.authorName : null;
    const title =
      locale === 'en'
        ? who ? `${who} replied to your comment` : 'Someone replied to your comment'
        : who ? `${who} a répondu à votre commentaire` : 'Quelqu’un a répondu à votre commentaire';
    return { title, body: excerpt(n.data.excerpt), path };
  }
}
