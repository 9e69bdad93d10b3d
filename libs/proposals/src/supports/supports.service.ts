import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService, WriteStatement } from '@app/common';
import { AccessService, Actor, isOwner, MunicipalitiesService } from '@app/identity';
import { ServiceLevelsService } from '@app/reports';
import { EntityManager } from 'typeorm';
import { isPublicStatus, SUPPORTABLE_STATUSES } from '../lifecycle/proposal-lifecycle';
import { eventBase, eventMeta, PROPOSAL_SUBJECT, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { DEFAULT_PARTICIPATION_SETTINGS, ParticipationService } from '../participation/participation.service';
import { ProposalEntity } from '../proposal.entity';
import { NotSupportableError, OwnSupportError, ProposalNotFoundError, ResidencyRequiredError } from '../proposals.errors';
import { ProposalsService } from '../proposals.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SupportResult {
  proposalId: string;
  supportCount: number;
  status: ProposalEntity['status'];
  supportedByMe: boolean;
}

/**
 * One support per person and proposal. Every support and withdrawal of support runs on the
 * proposal's row lock, so the count moves by exactly one per row the primary key let in, and the
 * support that reaches the threshold is the one that moves the proposal to threshold_reached.
 */
@Injectable()
export class SupportsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly transitions: ProposalTransitions,
    private readonly proposals: ProposalsService,
    private readonly participation: ParticipationService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly outbox: OutboxService,
  ) {}

  async support(actor: Actor, id: string): Promise<SupportResult> {
    // The common case in one round trip; anything it does not cover takes the full path below.
    if (UUID.test(id)) {
      const quick = await this.supportInOneStatement(actor, id);
      if (quick) return quick;
    }
    return this.tx.run(async (manager) => {
      const p = await this.open(manager, actor, id);
      if (isOwner(p.authorId, actor.id) || (await this.proposals.acceptedCoauthorIds(p.id, manager)).includes(actor.id)) throw new OwnSupportError();
      const settings = await this.participation.settingsFor(p.municipalityId, manager);
      if (settings.residencyRequired && !(await this.access.isResident(actor.id, p.municipalityId, manager))) throw new ResidencyRequiredError();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO proposal_supports (proposal_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [p.id, actor.id],
      );
      // Supporting twice is not an error: the second changes nothing.
      if (inserted.length === 0) return this.result(p, true);
      const [row]: Array<{ support_count: number }> = await manager.query(
        // A CTE, so the driver answers the RETURNING rows as a SELECT's.
        `WITH changed AS (UPDATE proposals SET support_count = support_count + 1, first_supported_at = COALESCE(first_supported_at, now()) WHERE id = $1 RETURNING support_count)
         SELECT support_count FROM changed`,
        [p.id],
      );
      p.supportCount = row.support_count;
      if (p.status === 'published' && p.supportCount >= settings.supportThreshold) {
        const municipality = await this.municipalities.requireById(p.municipalityId, manager);
        const calendar = await this.serviceLevels.calendarFor(municipality, manager);
        const now = new Date();
        const answerDueAt = calendar.add(now, { amount: settings.answerDeadlineDays, unit: 'days' });
        await this.transitions.move(manager, p, 'threshold_reached', 'support', actor.id, { changes: { thresholdReachedAt: now, answerDueAt }, audit: false });
      }
      await this.outbox.record(manager, 'proposals.support_changed', { ...eventBase(p), supportCount: p.supportCount }, eventMeta(p, null));
      return this.result(p, true);
    });
  }

  /**
   * The support of the hot path as one statement (libs/common WriteStatement: atomic without
   * BEGIN/COMMIT, prepared, one round trip instead of the full path's ten — the benchmark showed
   * round trips, not locks, were the cost: each support touches another proposal, and a row lock
   * held over ten round trips is what made 50 concurrent supports queue). The proposal's row is
   * locked (FOR UPDATE) only if every rule of the full path holds on it — public and supportable
   * status, period not over, not an author or accepted co-author, residency when the town needs
   * it — and if this support cannot be the one that reaches the threshold (that one moves the
   * proposal and computes the answer deadline: the full path's job). Under the lock the support is
   * inserted (the primary key refuses a second), the count moved by exactly the rows inserted,
   * and `proposals.support_changed` written. No row back means a rule did not hold: the caller
   * runs the full path, which answers with the precise error or the threshold move.
   */
  private async supportInOneStatement(actor: Actor, id: string): Promise<SupportResult | null> {
    const w = new WriteStatement();
    const proposal = w.param(id, 'uuid');
    const person = w.param(actor.id, 'uuid');
    const supportable = SUPPORTABLE_STATUSES.map((st) => w.param(st, 'text')).join(', ');
    w.with(
      'target',
      `SELECT p.id, p.municipality_id, p.author_id, p.status, p.support_count
         FROM proposals p LEFT JOIN proposal_settings s ON s.municipality_id = p.municipality_id
        WHERE p.id = ${proposal} AND p.status IN (${supportable})
          AND (p.expires_at IS NULL OR p.expires_at > now())
          AND p.author_id IS DISTINCT FROM ${person}
          AND NOT EXISTS (SELECT 1 FROM proposal_coauthors c WHERE c.proposal_id = p.id AND c.user_id = ${person} AND c.accepted_at IS NOT NULL)
          AND (p.status <> 'published' OR p.support_count + 1 < COALESCE(s.support_threshold, ${w.param(DEFAULT_PARTICIPATION_SETTINGS.supportThreshold, 'int')}))
          AND (NOT COALESCE(s.residency_required, ${w.param(DEFAULT_PARTICIPATION_SETTINGS.residencyRequired, 'boolean')}) OR ${this.access.residentSql(w, actor.id, 'p.municipality_id')})
        FOR UPDATE OF p`,
    );
    w.with('inserted', `INSERT INTO proposal_supports (proposal_id, user_id) SELECT id, ${person} FROM target ON CONFLICT DO NOTHING RETURNING proposal_id`);
    // The row locked above: the count moves from its latest committed value, once per row inserted.
    w.with(
      'counted',
      `UPDATE proposals p SET support_count = p.support_count + 1, first_supported_at = COALESCE(p.first_supported_at, now())
         FROM inserted i WHERE p.id = i.proposal_id RETURNING p.support_count`,
    );
    w.onlyIf('EXISTS (SELECT 1 FROM counted)');
    this.outbox.recordIn(
      w,
      'proposals.support_changed',
      { proposalId: id },
      { aggregateType: PROPOSAL_SUBJECT, aggregateId: id, actorId: null },
      {
        municipalityId: '(SELECT municipality_id FROM target)',
        authorId: '(SELECT author_id FROM target)',
        status: '(SELECT status FROM target)',
        supportCount: '(SELECT support_count FROM counted)',
      },
      { municipalityId: '(SELECT municipality_id FROM target)' },
    );
    const [row] = await w.run<{ status: ProposalEntity['status']; before: number; after: number | null }>(
      this.tx.manager,
      `SELECT t.status, t.support_count AS before, (SELECT support_count FROM counted) AS after FROM target t`,
    );
    if (!row) return null;
    // Supported already: the primary key let nothing in, and the count stays.
    return { proposalId: id, supportCount: row.after ?? row.before, status: row.status, supportedByMe: true };
  }

  /** Takes one's support back while the proposal still takes supports; reaching the threshold stays reached. */
  async unsupport(actor: Actor, id: string): Promise<SupportResult> {
    return this.tx.run(async (manager) => {
      const p = await this.open(manager, actor, id);
      const deleted: unknown[] = await manager.query(`WITH gone AS (DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2 RETURNING 1) SELECT * FROM gone`, [p.id, actor.id]);
      if (deleted.length === 0) return this.result(p, false);
      const [row]: Array<{ support_count: number }> = await manager.query(`WITH changed AS (UPDATE proposals SET support_count = support_count - 1 WHERE id = $1 RETURNING support_count) SELECT support_count FROM changed`, [p.id]);
      p.supportCount = row.support_count;
      await this.outbox.record(manager, 'proposals.support_changed', { ...eventBase(p), supportCount: p.supportCount }, eventMeta(p, null));
      return this.result(p, false);
    });
  }

  /** The proposal, locked, if the caller may see it and it takes supports now. */
  private async open(manager: EntityManager, actor: Actor, id: string): Promise<ProposalEntity> {
    const p = await this.transitions.lock(manager, id);
    if (!(await this.proposals.canSee(actor, p, manager))) throw new ProposalNotFoundError();
    if (!SUPPORTABLE_STATUSES.includes(p.status)) throw new NotSupportableError(p.status, 'status');
    if (p.expiresAt && p.expiresAt.getTime() <= Date.now()) throw new NotSupportableError(p.status, 'period_over');
    return p;
  }

  private result(p: ProposalEntity, supportedByMe: boolean): SupportResult {
    return { proposalId: p.id, supportCount: p.supportCount, status: p.status, supportedByMe: supportedByMe && isPublicStatus(p.status) };
  }
}
