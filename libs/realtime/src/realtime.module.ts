import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { PresenceService } from './presence/presence.service';
import { RealtimeService } from './realtime.service';
import { TopicRegistry } from './topics/topic-registry';
import { UserTopicPolicy } from './topics/user-topic.policy';

/**
 * The live channel's rules: the topic registry (policies other libraries declare with
 * @ProvidesTopics), per-connection subscriptions and presence. Libraries import it for
 * PresenceService (claims on their staff views); the API's gateway for RealtimeService.
 */
@Module({
  imports: [IdentityModule],
  providers: [TopicRegistry, RealtimeService, PresenceService, UserTopicPolicy],
  exports: [TopicRegistry, RealtimeService, PresenceService],
})
export class RealtimeModule {}
