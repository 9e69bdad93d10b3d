import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import type { Locale } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { CommentEntity } from '../comment.entity';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';
import { SubjectRegistry } from '../subjects/subject-registry';

export const MODERATION_NOTIFICATION_TYPES = {
  approved: 'moderation.approved',
  rejected: 'moderation.rejected',
} as const;

type Wording = Record<'fr' | 'en', { published: string; rejected: string }>;
const WORDING: Record<string, Wording> = {
  comment: {
    fr: { published: 'Votre commentaire a été publié', rejected: 'Votre commentaire n’a pas été publié' },
    en: { published: 'Your comment was published', rejected: 'Your comment was not published' },
  },
};
const DEFAULT_WORDING: Wording = {
  fr: { published: 'Votre contribution a été publiée', rejected: 'Votre contribution n’a pas été publiée' },
  en: { published: 'Your contribution was published', rejected: 'Your contribution was not published' },
};

/**
 * The author hears of what staff decided on their content — published (approved, or put back)
 * or rejected, with the reason the moderator gave — whatever the subject type. The link opens
 * the page the content lives on: a comment's is the page of what it is about.
 */
@Injectable()
@NotificationRule({ events: ['moderation.decided'], types: [MODERATION_NOTIFICATION_TYPES.approved, MODERATION_NOTIFICATION_TYPES.rejected] })
export class ModerationDecidedNotificationRule implements NotificationRuleHandler {
  constructor(private readonly registry: SubjectRegistry) {}

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = event.payload as DomainEventMap['moderation.decided'];
    if (!p.authorId) return [];
    let page = { type: p.subjectType, id: p.subjectId };
    if (p.subjectType === COMMENT_SUBJECT_TYPE) {
      const comment = await manager.findOne(CommentEntity, { where: { id: p.subjectId }, select: { id: true, subjectType: true, subjectId: true } });
      if (comment) page = { type: comment.subjectType, id: comment.subjectId };
    }
    const collection = this.registry.collectionOf(page.type);
    return [
      {
        userId: p.authorId,
        type: p.decision === 'rejected' ? MODERATION_NOTIFICATION_TYPES.rejected : MODERATION_NOTIFICATION_TYPES.approved,
        subject: { type: p.subjectType, id: p.subjectId },
        data: { itemId: p.itemId, kind: p.kind, decision: p.decision, reason: p.decisionReason, path: collection ? `/${collection}/${page.id}` : '/' },
      },
    ];
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    const words = (WORDING[n.subjectType] ?? DEFAULT_WORDING)[locale === 'en' ? 'en' : 'fr'];
    const title = n.type === MODERATION_NOTIFICATION_TYPES.rejected ? words.rejected : words.published;
    const reason = typeof n.data.reason === 'string' && n.data.reason ? n.data.reason : null;
    const body = reason ? (locale === 'en' ? `Reason: ${reason}` : `Motif : ${reason}`) : '';
    const path = typeof n.data.path === 'string' && n.data.path.startsWith('/') ? n.data.path : '/';
    return { title, body, path };
  }
}
