import { Injectable } from '@nestjs/common';
import { ModerationChange, ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { isPublicStatus } from '../lifecycle/proposal-lifecycle';
import { PROPOSAL_SUBJECT, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ProposalEntity } from '../proposal.entity';
import { ProposalsService } from '../proposals.service';

/** Plugs proposals into comments, follows, flags and moderation (libs/engagement) and photos (libs/media). */
@Injectable()
@ProvidesSubject({ type: PROPOSAL_SUBJECT, collection: 'proposals' })
export class ProposalSubjectProvider implements SubjectProvider {
  constructor(
    private readonly transitions: ProposalTransitions,
    private readonly proposals: ProposalsService,
  ) {}

  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    const p = await manager.findOne(ProposalEntity, { where: { id }, select: { id: true, municipalityId: true, authorId: true, status: true } });
    if (!p) return null;
    return { municipalityId: p.municipalityId, isPublic: isPublicStatus(p.status), ownerId: p.authorId };
  }

  /** Moderation upheld a flag: out of public view (its authors and staff still see it). */
  async hide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    await this.hideIn(manager, await this.transitions.lock(manager, id), actorId, null);
  }

  /**
   * Moderation's decisions, in the decision's transaction (idempotent):
   * - release: held and approved → published (its support period starts then);
   * - reject: held → back to draft with the reason (its author may rework it); public → hidden;
   * - hide: flags reached the town's threshold → hidden, pending review;
   * - unhide: back to the state it was hidden from.
   */
  async moderate(id: string, change: ModerationChange, manager: EntityManager): Promise<void> {
    const p = await this.transitions.lock(manager, id);
    switch (change.action) {
      case 'release':
        if (p.status === 'held') await this.proposals.publishIn(manager, p, change.actorId, 'moderation');
        else await this.unhideIn(manager, p, change.actorId);
        return;
      case 'reject':
        if (p.status === 'held') {
          await this.transitions.move(manager, p, 'draft', 'moderation', change.actorId, { reason: change.reason, changes: { moderationNote: change.reason ?? '' } });
        } else await this.hideIn(manager, p, change.actorId, change.reason);
        return;
      case 'hide':
        await this.hideIn(manager, p, change.actorId, change.reason);
        return;
      case 'unhide':
        await this.unhideIn(manager, p, change.actorId);
        return;
    }
  }

  /** Titles for the staff's moderation queue. */
  async moderationPreviews(ids: string[], manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager.find(ProposalEntity, { where: { id: In(ids) }, select: { id: true, title: true } });
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  /** Staff put a hidden proposal back in the state it was hidden from. */
  async unhide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    await this.unhideIn(manager, await this.transitions.lock(manager, id), actorId);
  }

  private async hideIn(manager: EntityManager, p: ProposalEntity, actorId: string | null, reason: string | null): Promise<void> {
    if (!isPublicStatus(p.status)) return;
    await this.transitions.move(manager, p, 'hidden', 'moderation', actorId, { reason, changes: { hiddenFrom: p.status } });
  }

  private async unhideIn(manager: EntityManager, p: ProposalEntity, actorId: string | null): Promise<void> {
    if (p.status !== 'hidden' || !p.hiddenFrom) return;
    const back = p.hiddenFrom;
    await this.transitions.move(manager, p, back, 'moderation', actorId, { changes: { hiddenFrom: null } });
    // Its support period ended while it was hidden: the expiry job came then, found it hidden and
    // did nothing, and its deterministic id keeps the same job from being scheduled again. It
    // expires now, in the same transaction, as that job would have done.
    if (back === 'published' && p.expiresAt && p.expiresAt.getTime() <= Date.now()) {
      await this.transitions.move(manager, p, 'expired', 'schedule', null, { audit: false });
    }
  }
}
