import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RealtimePublisherModule } from '@app/realtime';
import { ProposalsModule } from '../proposals.module';
import { ProposalCommentCountsConsumer } from './proposal-comment-counts.consumer';
import { ProposalsLiveConsumer } from './proposals-live.consumer';

/** The worker's side of proposals: live updates and comment counts (kept out of ProposalsModule, which the API loads). */
@Module({
  imports: [ProposalsModule, IdentityModule, RealtimePublisherModule],
  providers: [ProposalsLiveConsumer, ProposalCommentCountsConsumer],
})
export class ProposalsRealtimeModule {}
