import { Injectable } from '@nestjs/common';
import { ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager } from 'typeorm';
import { isPublicStatus } from '../lifecycle/proposal-lifecycle';
import { PROPOSAL_SUBJECT, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ProposalEntity } from '../proposal.entity';

/** Plugs proposals into comments, follows, flags (libs/engagement) and photos and documents (libs/media). */
@Injectable()
@ProvidesSubject({ type: PROPOSAL_SUBJECT, collection: 'proposals' })
export class ProposalSubjectProvider implements SubjectProvider {
  constructor(private readonly transitions: ProposalTransitions) {}

  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    const p = await manager.findOne(ProposalEntity, { where: { id }, select: { id: true, municipalityId: true, authorId: true, status: true } });
    if (!p) return null;
    return { municipalityId: p.municipalityId, isPublic: isPublicStatus(p.status), ownerId: p.authorId };
  }

  /** Moderation upheld a flag: out of public view (its authors and staff still see it), back where it was on unhide. */
  async hide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    const p = await this.transitions.lock(manager, id);
    if (!isPublicStatus(p.status)) return;
    await this.transitions.move(manager, p, 'hidden', 'moderation', actorId, { changes: { hiddenFrom: p.status } });
  }

  /** Staff put a hidden proposal back in the state it was hidden from. */
  async unhide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    const p = await this.transitions.lock(manager, id);
    if (p.status !== 'hidden' || !p.hiddenFrom) return;
    await this.transitions.move(manager, p, p.hiddenFrom, 'moderation', actorId, { changes: { hiddenFrom: null } });
  }
}
