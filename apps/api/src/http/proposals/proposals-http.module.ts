import { Module } from '@nestjs/common';
import { ProposalsModule } from '@app/proposals';
import { ParticipationController } from './participation.controller';
import { ProposalAnswersController } from './proposal-answers.controller';
import { ProposalListsController } from './proposal-lists.controller';
import { ProposalsController } from './proposals.controller';

@Module({
  imports: [ProposalsModule],
  controllers: [ProposalListsController, ProposalsController, ParticipationController, ProposalAnswersController],
})
export class ProposalsHttpModule {}
