import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { RealtimeModule } from '@app/realtime';
import { ReportsModule } from '@app/reports';
import { WorkshopsModule } from '@app/workshops';
import { AnswersService } from './answers/answers.service';
import { PROPOSAL_NOTIFICATION_RULES } from './notifications/proposal-notification-rules';
import { ProposalTransitions } from './lifecycle/proposal-transitions';
import { ProposalSubjectProvider } from './moderation/proposal-subject.provider';
import { ProposalsPersonalData } from './personal-data/proposals-personal-data';
import { ParticipationService } from './participation/participation.service';
import { PROPOSAL_ENTITIES } from './proposal.entity';
import { ProposalsOpenData } from './open-data/proposals-open-data';
import { PromotionService } from './promotion/promotion.service';
import { IdeaProposalsService } from './workshop-ideas/idea-proposals.service';
import { ProposalsService } from './proposals.service';
import { ProposalTopicsPolicy } from './realtime/proposal-topics.policy';
import { ProposalDeadlinesService } from './schedule/proposal-deadlines.service';
import { SupportsService } from './supports/supports.service';
import { ProposalListService } from './views/proposal-list.service';

/** Citizen proposals: drafts, publication, supports, thresholds, official answers. */
@Module({
  imports: [
    TypeOrmModule.forFeature(PROPOSAL_ENTITIES),
    IdentityModule,
    EngagementModule,
    MediaModule,
    // The topic policies register with its TopicRegistry.
    RealtimeModule,
    // The municipality's working calendar (ServiceLevelsService), and suggestion reports to promote.
    ReportsModule,
    // Workshop board notes their authors make into proposals (WorkshopIdeasService).
    WorkshopsModule,
  ],
  providers: [ProposalsService, ParticipationService, ProposalTransitions, ProposalSubjectProvider, SupportsService, ProposalDeadlinesService, ProposalTopicsPolicy, AnswersService, ProposalListService, PromotionService, IdeaProposalsService,
    // Its dataset in every town's open-data catalogue (discovered by OpenDataRegistry).
    ProposalsOpenData,
    // Its part of a person's export and erasure (discovered by identity's PersonalDataService).
    ProposalsPersonalData,
    // Who hears of what (discovered by the notifications pipeline).
    ...PROPOSAL_NOTIFICATION_RULES],
  exports: [ProposalsService, ParticipationService, SupportsService, ProposalDeadlinesService, AnswersService, ProposalListService, PromotionService, IdeaProposalsService],
})
export class ProposalsModule {}
