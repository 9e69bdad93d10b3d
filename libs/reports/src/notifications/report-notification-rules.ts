import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import { CommentsService, FollowsService } from '@app/engagement';
import { Locale, MembershipsService, MunicipalitiesService } from '@app/identity';
import {
  AnyNotificationDraft,
  ContactNotificationDraft,
  NotificationContent,
  NotificationDraft,
  NotificationRule,
  NotificationRuleHandler,
  RenderedNotification,
} from '@app/notifications';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { ReportCategoryEntity } from '../categories/report-category.entity';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT } from '../reports/reports.service';
import { renderReportNotification, REPORT_NOTIFICATION_TYPES as T } from './report-notification-texts';

const payload = <K extends keyof DomainEventMap>(event: DomainEvent, _type: K) => event.payload as DomainEventMap[K];

/** Base of the report rules: they share the wording. */
abstract class ReportRule implements NotificationRuleHandler {
  abstract recipients(event: DomainEvent, manager: EntityManager): Promise<AnyNotificationDraft[]>;

  render(notification: NotificationContent, locale: Locale): RenderedNotification {
    return renderReportNotification(notification, locale);
  }
}

/** What staff notifications quote of a report (they may see all of it). */
async function staffDetails(manager: EntityManager, reportId: string): Promise<{ description: string } | null> {
  const report = await manager.findOne(ReportEntity, { where: { id: reportId }, select: { id: true, description: true } });
  return report ? { description: report.description.slice(0, 300) } : null;
}

/**
 * The reporter hears of every status change of their report and of every public message the city
 * posts on it. (Their own actions — reopening, confirming — are not notified: the pipeline never
 * tells the actor.) A report staff filed for someone without an account (at the counter, on the
 * phone…) tells that person the same, by e-mail, when they gave an address, in the town's language.
 */
@Injectable()
@NotificationRule({ events: ['report.status_changed', 'report.updated'], types: [T.statusChanged, T.publicUpdate] })
export class ReporterNotificationRule extends ReportRule {
  constructor(private readonly municipalities: MunicipalitiesService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<AnyNotificationDraft[]> {
    let type: string;
    let data: Record<string, unknown>;
    let reporterId: string | null;
    if (event.type === 'report.status_changed') {
      const p = payload(event, 'report.status_changed');
      [type, data, reporterId] = [T.statusChanged, { number: p.number, from: p.from, to: p.to, reason: p.reason }, p.reporterId];
    } else if (event.type === 'report.updated') {
      const p = payload(event, 'report.updated');
      // Internal notes stay between staff.
      if (p.visibility !== 'public') return [];
      [type, data, reporterId] = [T.publicUpdate, { number: p.number, message: p.message.slice(0, 1000) }, p.reporterId];
    } else return [];
    if (reporterId) return [{ userId: reporterId, type, data }];
    const contact = await this.contactOf(manager, event.aggregateId);
    return contact ? [{ contact, type, data }] : [];
  }

  /** The e-mail contact of a report filed for someone (staff-assisted intake), in the town's language. */
  private async contactOf(manager: EntityManager, reportId: string): Promise<ContactNotificationDraft['contact'] | null> {
    const report = await manager.findOne(ReportEntity, {
      where: { id: reportId },
      select: { id: true, municipalityId: true, contactEmail: true, contactName: true, filedById: true },
    });
    // Only for reports staff filed: an Open311 client's e-mail belongs to its own system.
    if (!report?.contactEmail || !report.filedById) return null;
    const municipality = await this.municipalities.requireById(report.municipalityId, manager).catch(() => null);
    return { email: report.contactEmail, name: report.contactName, locale: municipality?.locale ?? 'fr' };
  }
}

/**
 * Supporters and followers hear when a report is resolved (the reporter already hears of it as a
 * status change), and everyone following a duplicate hears where to follow once it is merged.
 */
@Injectable()
@NotificationRule({ events: ['report.status_changed', 'report.merged'], types: [T.resolvedFollowed, T.merged] })
export class FollowersNotificationRule extends ReportRule {
  constructor(private readonly follows: FollowsService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    return (await this.recipientsMany([event], manager))[0];
  }

  /** The followers of every report the events name, read in one statement. */
  async recipientsMany(events: DomainEvent[], manager: EntityManager): Promise<NotificationDraft[][]> {
    const told = (event: DomainEvent): { reportId: string; drafts: (followers: string[]) => NotificationDraft[] } | null => {
      if (event.type === 'report.status_changed') {
        const p = payload(event, 'report.status_changed');
        if (p.to !== 'resolved') return null;
        return { reportId: p.reportId, drafts: (followers) => followers.filter((id) => id !== p.reporterId).map((userId) => ({ userId, type: T.resolvedFollowed, data: { number: p.number } })) };
      }
      if (event.type === 'report.merged') {
        const p = payload(event, 'report.merged');
        return { reportId: p.reportId, drafts: (followers) => followers.map((userId) => ({ userId, type: T.merged, data: { number: p.number, intoId: p.intoId, intoNumber: p.intoNumber } })) };
      }
      return null;
    };
    const plans = events.map(told);
    const wanted = plans.filter((p): p is NonNullable<typeof p> => p !== null).map((p) => p.reportId);
    const followers = wanted.length ? await this.follows.followerIdsMany(REPORT_SUBJECT, wanted, manager) : new Map<string, string[]>();
    return plans.map((p) => (p ? p.drafts(followers.get(p.reportId) ?? []) : []));
  }
}

/**
 * Staff hear of new reports of their department: a report goes to the staff members whose
 * membership department is the report's (its category's), and to generalists (staff without a
 * department). A report without a department goes to every staff member. The municipality admin
 * sets departments on memberships; each person turns this type off per channel in preferences.
 */
@Injectable()
@NotificationRule({ events: ['report.created'], types: [T.newInDepartment] })
export class DepartmentNotificationRule extends ReportRule {
  constructor(private readonly memberships: MembershipsService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = payload(event, 'report.created');
    const staff = await this.memberships.staffIdsFor(p.municipalityId, p.department, manager);
    if (staff.length === 0) return [];
    const category = await manager.findOne(ReportCategoryEntity, {
      where: { municipalityId: p.municipalityId, code: p.categoryCode },
      select: { id: true, name: true },
    });
    const details = await staffDetails(manager, p.reportId);
    const data = { number: p.number, kind: p.kind, categoryCode: p.categoryCode, categoryName: category?.name ?? null, department: p.department, description: details?.description ?? '' };
    return staff.filter((id) => id !== p.reporterId).map((userId) => ({ userId, type: T.newInDepartment, data }));
  }
}

/**
 * The assignee hears of being given a report and of a service-level deadline coming close; a
 * warning for a report nobody holds goes to the staff of its department.
 */
@Injectable()
@NotificationRule({ events: ['report.assigned', 'report.sla_warning'], types: [T.assignedToYou, T.slaWarning] })
export class AssigneeNotificationRule extends ReportRule {
  constructor(
    private readonly memberships: MembershipsService,
    private readonly municipalities: MunicipalitiesService,
  ) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    if (event.type === 'report.assigned') {
      const p = payload(event, 'report.assigned');
      if (!p.assigneeId) return [];
      const details = await staffDetails(manager, p.reportId);
      return [{ userId: p.assigneeId, type: T.assignedToYou, data: { number: p.number, description: details?.description ?? '' } }];
    }
    if (event.type === 'report.sla_warning') {
      const p = payload(event, 'report.sla_warning');
      const people = p.assigneeId ? [p.assigneeId] : await this.memberships.staffIdsFor(p.municipalityId, p.department, manager);
      if (people.length === 0) return [];
      const zone = (await this.municipalities.requireById(p.municipalityId, manager).catch(() => null))?.timezone ?? 'UTC';
      const deadlineLocal = DateTime.fromISO(p.deadline, { zone }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
      return people.map((userId) => ({ userId, type: T.slaWarning, data: { number: p.number, deadline: p.deadline, deadlineKind: p.deadlineKind, deadlineLocal } }));
    }
    return [];
  }
}

/**
 * The reporter hears of a new comment on their report — unless it answers a comment of theirs:
 * then engagement's reply rule (`comment.replied`) tells them already.
 */
@Injectable()
@NotificationRule({ events: ['engagement.comment_added'], types: [T.commented] })
export class ReportCommentNotificationRule extends ReportRule {
  constructor(private readonly comments: CommentsService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = payload(event, 'engagement.comment_added');
    if (p.subjectType !== REPORT_SUBJECT) return [];
    const report = await manager.findOne(ReportEntity, { where: { id: p.subjectId }, select: { id: true, number: true, reporterId: true } });
    if (!report?.reporterId) return [];
    if (p.inReplyToId && (await this.comments.authorOf(p.inReplyToId, manager)) === report.reporterId) return [];
    const comment = await this.comments.publicView(p.commentId, manager);
    if (!comment || comment.body === null) return [];
    return [
      {
        userId: report.reporterId,
        type: T.commented,
        subject: { type: REPORT_SUBJECT, id: report.id },
        data: { number: String(report.number), commentId: comment.id, authorName: comment.author?.displayName ?? null, excerpt: comment.body.slice(0, 1000) },
      },
    ];
  }
}

export const REPORT_NOTIFICATION_RULES = [ReporterNotificationRule, FollowersNotificationRule, DepartmentNotificationRule, AssigneeNotificationRule, ReportCommentNotificationRule];
