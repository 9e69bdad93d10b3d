import { Injectable } from '@nestjs/common';
import { AuditService, ModerationAction, OutboxService, TransactionService, UnauthenticatedError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService, rolesSatisfy } from '@app/identity';
import { EntityManager } from 'typeorm';
import { MODERATOR_ROLES } from './moderator-roles';
import { ModerationAlreadyDecidedError, ModerationItemNotFoundError, ModerationNotRejectedError } from '../engagement.errors';
import { ModerationItemDecision } from '../engagement.events';
import { SubjectRef, SubjectRegistry } from '../subjects/subject-registry';
import { matchHeldWords } from './held-words';
import { ModerationSettingsService } from './moderation-settings.service';
import { HoldReason, ModerationItemEntity, ModerationKind, ModerationReason, ModerationStatus } from './moderation.entities';

/** What the owning library knows about new content when it screens it (see screen()). */
export interface ScreenInput {
  municipalityId: string;
  /** Who wrote it; null for content without an account (then only the word list and "hold everything" apply). */
  authorId: string | null;
  subjectType: string;
  subjectId: string;
  /** Everything the public would read (title and body together, for instance). */
  text: string;
}

export type ScreenResult =
  | { held: false }
  | { held: true; itemId: string; reason: HoldReason; matchedWords: string[] };

/** A subject under review, for the owning library's own views ("awaiting review"). */
export interface PendingReview {
  itemId: string;
  kind: ModerationKind;
  reason: ModerationReason;
}

export type StaffDecision = 'approve' | 'reject' | 'unhide';

export interface ModerationItemView {
  id: string;
  municipalityId: string;
  subjectType: string;
  /** URL segment of the subject's collection; null if its library is no longer installed. */
  collection: string | null;
  subjectId: string;
  authorId: string | null;
  kind: ModerationKind;
  reason: ModerationReason;
  matchedWords: string[];
  status: ModerationStatus;
  decisionReason: string | null;
  decidedById: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

const ITEM_EVENT_META = (item: ModerationItemEntity, actorId: string | null) => ({
  aggregateType: 'moderation_item',
  aggregateId: item.id,
  municipalityId: item.municipalityId,
  actorId,
});

/**
 * Moderation for any subject. The library that owns content calls screen() in its write
 * transaction (held or not); flags call flagged(); staff decide (approve, reject, unhide). Each
 * change of visibility reaches the owning library through its SubjectProvider.moderate hook, in
 * the same transaction as the item, its audit entry and its outbox event — engagement never
 * writes another library's tables.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly settings: ModerationSettingsService,
  ) {}

  /**
   * Applies the town's pre-moderation rules to new content, inside the caller's transaction.
   * Held → the item is on the staff's queue and `moderation.held` is recorded; the caller stores
   * its content out of public view (shown to its author as awaiting review) and hears of the
   * decision through its provider's moderate hook (`release` or `reject`). The town's staff and
   * admins are never held. Each call counts as one contribution of the author in the town.
   */
  async screen(manager: EntityManager, input: ScreenInput): Promise<ScreenResult> {
    const settings = await this.settings.forMunicipality(input.municipalityId, manager);
    let contributions = 0;
    if (input.authorId) {
      const roles = await this.access.rolesIn(input.authorId, input.municipalityId, manager);
      if (rolesSatisfy(roles, MODERATOR_ROLES)) return { held: false };
      // Counted always, so turning "hold the first N" on later does not hold regulars.
      const [row] = (await manager.query(
        `INSERT INTO moderation_contributors (municipality_id, user_id, contributions) VALUES ($1, $2, 1)
         ON CONFLICT (municipality_id, user_id) DO UPDATE SET contributions = moderation_contributors.contributions + 1
         RETURNING contributions`,
        [input.municipalityId, input.authorId],
      )) as Array<{ contributions: number }>;
      contributions = row.contributions;
    }
    const matchedWords = matchHeldWords(input.text ?? '', settings.heldWords);
    const reason: HoldReason | null =
      matchedWords.length > 0
        ? 'word_list'
        : input.authorId && contributions <= settings.holdFirstContributions
          ? 'new_account'
          : settings.holdAll
            ? 'everything'
            : null;
    if (!reason) return { held: false };
    const item = await this.open(manager, { ...input, kind: 'held', reason, matchedWords });
    if (item.created) {
      await this.outbox.record(manager, 'moderation.held', this.eventOf(item.row), ITEM_EVENT_META(item.row, input.authorId));
    }
    return { held: true, itemId: item.row.id, reason: item.row.reason as HoldReason, matchedWords: item.row.matchedWords };
  }

  /**
   * A flag was just added on a subject, in `manager`'s transaction: once the open flags reach
   * the town's threshold, the subject goes on the queue and out of public view (hook `hide`).
   * Serialised per subject, so concurrent flags crossing the threshold count each other.
   */
  async flagged(manager: EntityManager, subject: SubjectRef, info: { municipalityId: string; ownerId: string | null }): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`moderation:${subject.type}:${subject.id}`]);
    const [{ open }] = (await manager.query(
      `SELECT count(*)::int AS open FROM flags WHERE subject_type = $1 AND subject_id = $2 AND status = 'open'`,
      [subject.type, subject.id],
    )) as Array<{ open: number }>;
    const { flagThreshold } = await this.settings.forMunicipality(info.municipalityId, manager);
    if (open < flagThreshold) return;
    const item = await this.open(manager, {
      municipalityId: info.municipalityId,
      authorId: info.ownerId,
      subjectType: subject.type,
      subjectId: subject.id,
      kind: 'flagged',
      reason: 'flags',
      matchedWords: [],
    });
    if (!item.created) return;
    await this.tell(manager, item.row, 'hide', null, null);
    await this.outbox.record(manager, 'moderation.hidden', { ...this.eventOf(item.row), openFlags: open }, ITEM_EVENT_META(item.row, null));
  }

  /** Pending reviews of some subjects of one type, by subject id: for "awaiting review" marks. */
  async pendingReviews(subjectType: string, subjectIds: string[], manager: EntityManager = this.tx.manager): Promise<Map<string, PendingReview>> {
    if (subjectIds.length === 0) return new Map();
    const rows = await manager.query(
      `SELECT id, subject_id, kind, reason FROM moderation_items WHERE subject_type = $1 AND subject_id = ANY($2::uuid[]) AND status = 'pending'`,
      [subjectType, subjectIds],
    );
    return new Map((rows as Array<{ id: string; subject_id: string; kind: ModerationKind; reason: ModerationReason }>).map((r) => [r.subject_id, { itemId: r.id, kind: r.kind, reason: r.reason }]));
  }

  /**
   * Staff decide on an item of their town. approve: held content is released, flagged content
   * shown again (open flags dismissed); reject: it stays out of view for good (open flags
   * upheld), the author is told `reason`; unhide: rejected content is put back. The item row is
   * locked first: of two moderators deciding at once, the second gets 409.
   */
  async decide(actor: Actor | undefined, slug: string, itemId: string, decision: StaffDecision, reason: string | null): Promise<ModerationItemView> {
    if (!actor) throw new UnauthenticatedError();
    const municipality = await this.municipalities.requireBySlug(slug);
    return this.tx.run(async (manager) => {
      const item = await manager.findOne(ModerationItemEntity, { where: { id: itemId, municipalityId: municipality.id }, lock: { mode: 'pessimistic_write' } });
      if (!item) {
        await this.access.assertRole(actor, municipality.id, MODERATOR_ROLES, manager);
        throw new ModerationItemNotFoundError();
      }
      await this.access.assertRole(actor, municipality.id, MODERATOR_ROLES, manager);
      if (decision === 'unhide' ? item.status !== 'rejected' : item.status !== 'pending') {
        throw decision === 'unhide' ? new ModerationNotRejectedError(item.status) : new ModerationAlreadyDecidedError(item.status);
      }
      const before = item.status;
      const outcome: ModerationItemDecision = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'reinstated';
      const action: ModerationAction = decision === 'reject' ? 'reject' : item.kind === 'held' ? 'release' : 'unhide';
      if (item.kind === 'flagged' && decision !== 'unhide') {
        await manager.query(
          `UPDATE flags SET status = $3, resolved_by_id = $4, resolved_at = now() WHERE subject_type = $1 AND subject_id = $2 AND status = 'open'`,
          [item.subjectType, item.subjectId, decision === 'approve' ? 'dismissed' : 'upheld', actor.id],
        );
      }
      await this.settle(manager, item, outcome, action, actor.id, reason);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: item.municipalityId,
        action: `moderation.${outcome}`,
        targetType: 'moderation_item',
        targetId: item.id,
        before: { status: before },
        after: { status: outcome, subjectType: item.subjectType, subjectId: item.subjectId, kind: item.kind, reason: item.reason, decisionReason: reason },
      });
      return this.toView(item);
    });
  }

  /**
   * The author took their held content back (deleted it, withdrew it) before a decision: its
   * pending pre-moderation review closes as `withdrawn`, in the caller's transaction. A review
   * opened by flags stays: abuse is judged even when its author deletes it. True if one closed.
   */
  async withdraw(manager: EntityManager, subject: SubjectRef): Promise<boolean> {
    const result = await manager.update(
      ModerationItemEntity,
      { subjectType: subject.type, subjectId: subject.id, status: 'pending', kind: 'held' },
      { status: 'withdrawn', decidedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * The subject's pending review opened by flags, locked: a flag decision taken on the flags
   * route (FlagsService) takes it first, then settles it with settleFromFlags, in its transaction.
   */
  async lockPendingFlagged(manager: EntityManager, subject: SubjectRef): Promise<ModerationItemEntity | null> {
    return manager.findOne(ModerationItemEntity, {
      where: { subjectType: subject.type, subjectId: subject.id, status: 'pending', kind: 'flagged' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async settleFromFlags(manager: EntityManager, item: ModerationItemEntity, decision: 'upheld' | 'dismissed', actorId: string): Promise<void> {
    const outcome = decision === 'upheld' ? 'rejected' : 'approved';
    await this.settle(manager, item, outcome, decision === 'upheld' ? 'reject' : 'unhide', actorId, null);
  }

  toView(item: ModerationItemEntity): ModerationItemView {
    return {
      id: item.id,
      municipalityId: item.municipalityId,
      subjectType: item.subjectType,
      collection: this.registry.collectionOf(item.subjectType),
      subjectId: item.subjectId,
      authorId: item.authorId,
      kind: item.kind,
      reason: item.reason,
      matchedWords: item.matchedWords,
      status: item.status,
      decisionReason: item.decisionReason,
      decidedById: item.decidedById,
      decidedAt: item.decidedAt,
      createdAt: item.createdAt,
    };
  }

  /** Records the outcome on the item, tells the owning library, announces it. Mutates `item`. */
  private async settle(
    manager: EntityManager,
    item: ModerationItemEntity,
    outcome: ModerationItemDecision,
    action: ModerationAction,
    actorId: string,
    reason: string | null,
  ): Promise<void> {
    const status: ModerationStatus = outcome;
    const decidedAt = new Date();
    await manager.update(ModerationItemEntity, { id: item.id }, { status, decisionReason: reason, decidedById: actorId, decidedAt });
    Object.assign(item, { status, decisionReason: reason, decidedById: actorId, decidedAt });
    await this.tell(manager, item, action, actorId, reason);
    await this.outbox.record(
      manager,
      'moderation.decided',
      { ...this.eventOf(item), decision: outcome, decisionReason: reason, decidedById: actorId },
      ITEM_EVENT_META(item, actorId),
    );
  }

  private async tell(manager: EntityManager, item: ModerationItemEntity, action: ModerationAction, actorId: string | null, reason: string | null): Promise<void> {
    const provider = this.registry.providerOf(item.subjectType);
    await provider?.moderate?.(item.subjectId, { action, itemId: item.id, actorId, reason }, manager);
  }

  /** Inserts a pending item, or finds the one already pending for that subject. */
  private async open(
    manager: EntityManager,
    input: Omit<ScreenInput, 'text'> & { kind: ModerationKind; reason: ModerationReason; matchedWords: string[] },
  ): Promise<{ row: ModerationItemEntity; created: boolean }> {
    const inserted = (await manager.query(
      `INSERT INTO moderation_items (municipality_id, subject_type, subject_id, author_id, kind, reason, matched_words)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (subject_type, subject_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [input.municipalityId, input.subjectType, input.subjectId, input.authorId, input.kind, input.reason, input.matchedWords],
    )) as Array<{ id: string }>;
    const row = await manager.findOneOrFail(ModerationItemEntity, {
      where: inserted[0] ? { id: inserted[0].id } : { subjectType: input.subjectType, subjectId: input.subjectId, status: 'pending' },
    });
    return { row, created: inserted.length > 0 };
  }

  private eventOf(item: ModerationItemEntity) {
    return {
      itemId: item.id,
      subjectType: item.subjectType,
      subjectId: item.subjectId,
      municipalityId: item.municipalityId,
      authorId: item.authorId,
      kind: item.kind,
      reason: item.reason,
    };
  }
}
