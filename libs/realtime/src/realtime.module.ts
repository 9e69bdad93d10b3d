import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RealtimeCommandRegistry } from './commands/command-registry';
import { PresenceService } from './presence/presence.service';
import { RealtimeService } from './realtime.service';
import { TopicRegistry } from './topics/topic-registry';
import { UserTopicPolicy } from './topics/user-topic.policy';

/**
 * The live channel's rules: the topic registry (policies other libraries declare with
 * @ProvidesTopics) and commands (@HandlesRealtimeCommands), per-connection subscriptions and presence. Libraries import it for
 * PresenceService (claims on their staff views); the API's gateway for RealtimeService.
 */
@Module({
  imports: [IdentityModule],
  providers: [TopicRegistry, RealtimeCommandRegistry, RealtimeService, PresenceService, UserTopicPolicy],
  exports: [TopicRegistry, RealtimeCommandRegistry, RealtimeService, PresenceService],
})
export class RealtimeModule {}
