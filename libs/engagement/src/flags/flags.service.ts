import { Injectable } from '@nestjs/common';
import { AuditService, FieldError, OutboxService, Page, TransactionService, UnauthenticatedError, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { MODERATOR_ROLES } from '../comments/comments.service';
import { AlreadyFlaggedError, FlagAlreadyResolvedError, FlagNotFoundError, SubjectNotHideableError } from '../engagement.errors';
import { ModerationDecision } from '../engagement.events';
import { FLAG_REASONS, FlagEntity, FlagReason, FlagStatus } from '../flag.entity';
import { cursorAtSql, decodeTimeCursor, encodeTimeCursor, NO_CONTROL_CHARACTERS_EXCEPT_LINES, PageRequest, pageSize } from '../keyset';
import { ModerationService } from '../moderation/moderation.service';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';
import { SubjectRef, SubjectRegistry } from '../subjects/subject-registry';

export const FLAG_NOTE_MAX_LENGTH = 500;
export const FLAG_STATUSES: readonly FlagStatus[] = ['open', 'upheld', 'dismissed'];
export const MODERATION_DECISIONS: readonly ModerationDecision[] = ['upheld', 'dismissed'];
const PREVIEW_LENGTH = 500;

export interface FlagInput {
  reason: FlagReason;
  note?: string | null;
}

export interface FlagView {
  id: string;
  subjectType: string;
  /** URL segment of the subject's collection; null if its library is no longer installed. */
  collection: string | null;
  subjectId: string;
  municipalityId: string;
  reason: FlagReason;
  note: string | null;
  status: FlagStatus;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedById: string | null;
}

/** A flag in the moderation queue, with what moderators need to judge a flagged comment. */
export interface QueuedFlagView extends FlagView {
  /** The flagged comment's text (its first 500 characters); null for other subject types. */
  preview: string | null;
}

export interface FlagQueueQuery extends PageRequest {
  status?: FlagStatus;
}

interface QueueRow {
  id: string;
  subject_type: string;
  subject_id: string;
  municipality_id: string;
  reason: FlagReason;
  note: string | null;
  status: FlagStatus;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by_id: string | null;
  cursor_at: string;
  preview: string | null;
}

/**
 * Moderation: anyone signed in flags what they find abusive, once per subject; the
 * municipality's staff and admins work through the queue. An upheld flag takes the subject out
 * of public view through its library's SubjectProvider.hide, in the same transaction as the
 * decision, its audit entry and its event.
 */
@Injectable()
export class FlagsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly moderation: ModerationService,
  ) {}

  /**
   * One flag per person per subject: a second one is ALREADY_FLAGGED, also after the first was
   * resolved (a dismissed flag is not re-opened by insisting).
   */
  async flag(actor: Actor | undefined, subject: SubjectRef, input: FlagInput): Promise<FlagView> {
    if (!actor) throw new UnauthenticatedError();
    const note = validInput(input);
    return this.tx.run(async (manager) => {
      const info = await this.registry.describePublic(subject, manager);
      // ON CONFLICT keeps the transaction usable, so a repeated flag is a clean 409.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(FlagEntity)
        .values({
          subjectType: subject.type,
          subjectId: subject.id,
          municipalityId: info.municipalityId,
          reporterId: actor.id,
          reason: input.reason,
          note,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) throw new AlreadyFlaggedError();
      await this.outbox.record(
        manager,
        'engagement.flagged',
        { flagId: id, subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, reason: input.reason },
        { aggregateType: 'flag', aggregateId: id, municipalityId: info.municipalityId, actorId: actor.id },
      );
      // Enough open flags hide the subject pending review (the town's threshold).
      await this.moderation.flagged(manager, subject, info);
      return this.toView(await manager.findOneByOrFail(FlagEntity, { id }));
    });
  }

  /** A municipality's moderation queue, oldest first (keyset on created_at, id). */
  async queue(actor: Actor | undefined, municipalitySlug: string, query: FlagQueueQuery = {}): Promise<Page<QueuedFlagView>> {
    const limit = pageSize(query.limit);
    const status = query.status ?? 'open';
    if (!FLAG_STATUSES.includes(status)) {
      throw new ValidationError('Invalid status', [{ field: 'status', code: 'IS_IN', message: `status must be one of ${FLAG_STATUSES.join(', ')}`, params: { values: FLAG_STATUSES } }]);
    }
    const municipality = await this.municipalities.requireBySlug(municipalitySlug);
    await this.access.assertRole(actor, municipality.id, MODERATOR_ROLES);

    const params: unknown[] = [municipality.id, status, COMMENT_SUBJECT_TYPE, PREVIEW_LENGTH];
    let after = '';
    if (query.cursor) {
      const key = decodeTimeCursor(query.cursor);
      params.push(key.at, key.id);
      after = `AND (f.created_at, f.id) > ($5::timestamptz, $6::uuid)`;
    }
    params.push(limit + 1);
    const rows: QueueRow[] = await this.tx.manager.query(
      `SELECT f.id, f.subject_type, f.subject_id, f.municipality_id, f.reason, f.note, f.status, f.created_at,
              f.resolved_at, f.resolved_by_id, ${cursorAtSql('f.created_at')} AS cursor_at, left(c.body, $4) AS preview
       FROM flags f
       LEFT JOIN comments c ON f.subject_type = $3 AND c.id = f.subject_id
       WHERE f.municipality_id = $1 AND f.status = $2 ${after}
       ORDER BY f.created_at, f.id LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        id: r.id,
        subjectType: r.subject_type,
        collection: this.registry.collectionOf(r.subject_type),
        subjectId: r.subject_id,
        municipalityId: r.municipality_id,
        reason: r.reason,
        note: r.note,
        status: r.status,
        createdAt: r.created_at,
        resolvedAt: r.resolved_at,
        resolvedById: r.resolved_by_id,
        preview: r.preview,
      })),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
    };
  }

  /**
   * The moderator judges the content, not one flag: the decision closes every open flag on the
   * subject. Upheld hides the subject (a comment is removed) through its provider. Audited.
   */
  async resolve(actor: Actor | undefined, flagId: string, decision: ModerationDecision): Promise<FlagView> {
    if (!actor) throw new UnauthenticatedError();
    if (!MODERATION_DECISIONS.includes(decision)) {
      throw new ValidationError('Invalid decision', [{ field: 'decision', code: 'IS_IN', message: `decision must be one of ${MODERATION_DECISIONS.join(', ')}`, params: { values: MODERATION_DECISIONS } }]);
    }
    return this.tx.run(async (manager) => {
      const target = await manager.findOne(FlagEntity, { where: { id: flagId } });
      if (!target) throw new FlagNotFoundError();
      await this.access.assertRole(actor, target.municipalityId, MODERATOR_ROLES, manager);
      // The subject's pending review first, in the order the moderation queue's decisions lock.
      const review = await this.moderation.lockPendingFlagged(manager, { type: target.subjectType, id: target.subjectId });
      // Lock the subject's open flags (and this one) in one order, so two moderators deciding
      // on two flags of one subject wait for each other instead of deadlocking.
      const locked = await manager
        .createQueryBuilder(FlagEntity, 'f')
        .where('f.subject_type = :type AND f.subject_id = :id', { type: target.subjectType, id: target.subjectId })
        .andWhere(`(f.status = 'open' OR f.id = :flagId)`, { flagId })
        .orderBy('f.id')
        .setLock('pessimistic_write')
        .getMany();
      const flag = locked.find((f) => f.id === flagId)!;
      if (flag.status !== 'open') throw new FlagAlreadyResolvedError(flag.status);

      if (decision === 'upheld') {
        const { provider } = this.registry.byType(flag.subjectType);
        if (!provider.hide) throw new SubjectNotHideableError(flag.subjectType);
        await provider.hide(flag.subjectId, actor.id, manager);
      }
      const flagIds = locked.filter((f) => f.status === 'open').map((f) => f.id);
      const resolvedAt = new Date();
      await manager
        .createQueryBuilder()
        .update(FlagEntity)
        .set({ status: decision, resolvedById: actor.id, resolvedAt })
        .whereInIds(flagIds)
        .execute();
      // Flags the threshold put on the moderation queue leave it with this decision.
      if (review) await this.moderation.settleFromFlags(manager, review, decision, actor.id);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: flag.municipalityId,
        action: `flag.${decision}`,
        targetType: 'flag',
        targetId: flag.id,
        before: { status: 'open' },
        after: { status: decision, subjectType: flag.subjectType, subjectId: flag.subjectId, reason: flag.reason, flagIds },
      });
      await this.outbox.record(
        manager,
        'engagement.flag_resolved',
        {
          flagId: flag.id,
          flagIds,
          subjectType: flag.subjectType,
          subjectId: flag.subjectId,
          municipalityId: flag.municipalityId,
          decision,
          resolvedById: actor.id,
        },
        { aggregateType: 'flag', aggregateId: flag.id, municipalityId: flag.municipalityId, actorId: actor.id },
      );
      return this.toView(await manager.findOneByOrFail(FlagEntity, { id: flag.id }));
    });
  }

  private toView(f: FlagEntity): FlagView {
    return {
      id: f.id,
      subjectType: f.subjectType,
      collection: this.registry.collectionOf(f.subjectType),
      subjectId: f.subjectId,
      municipalityId: f.municipalityId,
      reason: f.reason,
      note: f.note,
      status: f.status,
      createdAt: f.createdAt,
      resolvedAt: f.resolvedAt,
      resolvedById: f.resolvedById,
    };
  }
}

function validInput(input: FlagInput): string | null {
  const problems: FieldError[] = [];
  if (!FLAG_REASONS.includes(input.reason)) problems.push({ field: 'reason', code: 'IS_IN', message: `reason must be one of ${FLAG_REASONS.join(', ')}`, params: { values: FLAG_REASONS } });
  const note = typeof input.note === 'string' ? input.note.trim() : null;
  if (note !== null) {
    if (Array.from(note).length > FLAG_NOTE_MAX_LENGTH) problems.push({ field: 'note', code: 'MAX_LENGTH', message: `note must be at most ${FLAG_NOTE_MAX_LENGTH} characters`, params: { max: FLAG_NOTE_MAX_LENGTH } });
    else if (!NO_CONTROL_CHARACTERS_EXCEPT_LINES.test(note)) problems.push({ field: 'note', code: 'CONTROL_CHARACTERS', message: 'note must not contain control characters' });
  }
  if (problems.length > 0) throw new ValidationError(`Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
  return note === '' ? null : note;
}
