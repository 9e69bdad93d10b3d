import { Injectable } from '@nestjs/common';
import { AuditService, DomainEventMap, OutboxService } from '@app/common';
import { EntityManager } from 'typeorm';
import { ProposalEntity } from '../proposal.entity';
import { ProposalIllegalTransitionError, ProposalNotFoundError } from '../proposals.errors';
import type { ProposalEventBase } from '../proposals.events';
import { allowedTransitions, canTransition, ProposalStatus } from './proposal-lifecycle';

export const PROPOSAL_SUBJECT = 'proposal';

export type TransitionBy = DomainEventMap['proposals.status_changed']['by'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function eventBase(p: Pick<ProposalEntity, 'id' | 'municipalityId' | 'authorId' | 'status'>): ProposalEventBase {
  return { proposalId: p.id, municipalityId: p.municipalityId, authorId: p.authorId, status: p.status };
}

export function eventMeta(p: Pick<ProposalEntity, 'id' | 'municipalityId'>, actorId: string | null) {
  return { aggregateType: PROPOSAL_SUBJECT, aggregateId: p.id, municipalityId: p.municipalityId, actorId };
}

/**
 * The one place a proposal changes state: checks the move against the lifecycle (409 with the
 * allowed list), writes it with the fields the new state carries, the audit line and
 * `proposals.status_changed`, all in the caller's transaction on a row it has locked.
 */
@Injectable()
export class ProposalTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** The proposal, locked for the rest of the transaction, or PROPOSAL_NOT_FOUND. */
  async lock(manager: EntityManager, id: string): Promise<ProposalEntity> {
    const found = UUID.test(id) ? await manager.findOne(ProposalEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!found) throw new ProposalNotFoundError();
    return found;
  }

  assertCan(from: ProposalStatus, to: ProposalStatus): void {
    if (!canTransition(from, to)) throw new ProposalIllegalTransitionError(from, to, allowedTransitions(from));
  }

  async move(
    manager: EntityManager,
    proposal: ProposalEntity,
    to: ProposalStatus,
    by: TransitionBy,
    actorId: string | null,
    options: { reason?: string | null; changes?: Partial<ProposalEntity>; audit?: boolean } = {},
  ): Promise<ProposalEntity> {
    const from = proposal.status;
    this.assertCan(from, to);
    const changes: Partial<ProposalEntity> = { status: to, ...options.changes };
    Object.assign(proposal, changes);
    await manager.update(ProposalEntity, { id: proposal.id }, changes);
    const reason = options.reason ?? null;
    if (options.audit !== false) {
      await this.audit.record(manager, {
        actorId,
        municipalityId: proposal.municipalityId,
        action: 'proposal.status_changed',
        targetType: PROPOSAL_SUBJECT,
        targetId: proposal.id,
        before: { status: from },
        after: { status: to, by, reason },
      });
    }
    await this.outbox.record(manager, 'proposals.status_changed', { ...eventBase(proposal), from, to, by, reason }, eventMeta(proposal, actorId));
    return proposal;
  }
}
