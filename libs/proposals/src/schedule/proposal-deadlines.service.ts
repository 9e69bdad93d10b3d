import { Injectable } from '@nestjs/common';
import { OutboxService, ProposalDeadlineJobData, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { eventBase, eventMeta, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ProposalEntity } from '../proposal.entity';

export interface ProposalDeadlineJob {
  jobId: string;
  data: ProposalDeadlineJobData;
  /** Milliseconds from now. */
  delay: number;
}

export type ProposalDeadlineOutcome = 'expired' | 'overdue' | 'moved_on' | 'missing';

/** Deterministic per (proposal, kind, deadline): scheduling again is a no-op, a moved deadline a new job. */
export function proposalDeadlineJobId(proposalId: string, kind: ProposalDeadlineJobData['kind'], at: Date): string {
  return `proposal-${kind}-${proposalId}-${at.getTime()}`;
}

/**
 * The two moves time makes on a proposal, with nobody asking: the end of its support period
 * (published → expired) and its answer deadline (flagged overdue for staff). The worker asks
 * `plan` after each proposal event which delayed job the proposal needs, and runs `fire` when one
 * comes due; the proposal is re-read then, so a job for a deadline that no longer holds does nothing.
 */
@Injectable()
export class ProposalDeadlinesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly transitions: ProposalTransitions,
    private readonly outbox: OutboxService,
  ) {}

  async plan(proposalId: string, manager: EntityManager, now = new Date()): Promise<ProposalDeadlineJob[]> {
    const p = await manager.findOneBy(ProposalEntity, { id: proposalId });
    if (!p) return [];
    const jobs: ProposalDeadlineJob[] = [];
    const add = (kind: ProposalDeadlineJobData['kind'], at: Date) =>
      jobs.push({ jobId: proposalDeadlineJobId(p.id, kind, at), data: { proposalId: p.id, kind, at: at.toISOString() }, delay: Math.max(0, at.getTime() - now.getTime()) });
    if (p.status === 'published' && p.expiresAt) add('expiry', p.expiresAt);
    if (p.status === 'threshold_reached' && p.answerDueAt && !p.answeredAt && !p.answerOverdueAt) add('answer_due', p.answerDueAt);
    return jobs;
  }

  async fire(job: ProposalDeadlineJobData): Promise<ProposalDeadlineOutcome> {
    const at = new Date(job.at);
    return this.tx.run(async (manager) => {
      const p = await manager.findOne(ProposalEntity, { where: { id: job.proposalId }, lock: { mode: 'pessimistic_write' } });
      if (!p) return 'missing';
      if (job.kind === 'expiry') {
        if (p.status !== 'published' || p.expiresAt?.getTime() !== at.getTime()) return 'moved_on';
        await this.transitions.move(manager, p, 'expired', 'schedule', null, { audit: false });
        return 'expired';
      }
      if (p.status !== 'threshold_reached' || p.answeredAt || p.answerOverdueAt || p.answerDueAt?.getTime() !== at.getTime()) return 'moved_on';
      p.answerOverdueAt = new Date();
      await manager.update(ProposalEntity, { id: p.id }, { answerOverdueAt: p.answerOverdueAt });
      await this.outbox.record(manager, 'proposals.answer_overdue', { ...eventBase(p), answerDueAt: at.toISOString() }, eventMeta(p, null));
      return 'overdue';
    });
  }
}
