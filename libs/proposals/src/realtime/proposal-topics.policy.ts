import { Injectable } from '@nestjs/common';
import { MunicipalitiesService } from '@app/identity';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from '@app/realtime';
import { ProposalNotFoundError } from '../proposals.errors';
import { ProposalsService } from '../proposals.service';

/** The live topics of proposals: one proposal, and a town's public feed. */
export const proposalTopic = (id: string): string => `proposal:${id}`;
export const municipalityProposalsTopic = (slug: string): string => `municipality:${slug}:proposals`;

/** `proposal:{id}` for whoever may see the proposal (as over REST); a town's feed for everyone. */
@Injectable()
@ProvidesTopics('proposal:{id}', 'municipality:{slug}:proposals')
export class ProposalTopicsPolicy implements TopicPolicy {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async authorize(actor: RealtimeActor, { pattern, params }: TopicRequest): Promise<TopicDecision> {
    if (pattern === 'municipality:{slug}:proposals') {
      // MUNICIPALITY_NOT_FOUND comes through as the refusal.
      await this.municipalities.requireBySlug(params.slug);
      return { ok: true };
    }
    try {
      await this.proposals.getVisible(actor, params.id);
      return { ok: true };
    } catch (error) {
      if (error instanceof ProposalNotFoundError) return { ok: false, code: 'PROPOSAL_NOT_FOUND', reason: 'Proposal not found' };
      throw error;
    }
  }
}
