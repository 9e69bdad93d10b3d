import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { ProposalsModule, ProposalsRealtimeModule } from '@app/proposals';
import { ProposalDeadlinesConsumer } from './proposal-deadlines.consumer';
import { ProposalDeadlinesProcessor } from './proposal-deadlines.processor';

/** The proposals library's background work: deadlines on their dates, live updates. */
@Module({
  imports: [ProposalsModule, ProposalsRealtimeModule, BullModule.registerQueue({ name: QUEUES.proposalDeadlines })],
  providers: [ProposalDeadlinesConsumer, ProposalDeadlinesProcessor],
})
export class ProposalsWorkerModule {}
