import { Module } from '@nestjs/common';
import { EngagementModule } from '@app/engagement';
import { CommentsController } from './comments.controller';
import { FlagsController } from './flags.controller';
import { FollowsController } from './follows.controller';
import { ModerationController } from './moderation.controller';

/** HTTP adapters of the engagement library: generic over every registered subject collection. */
@Module({
  imports: [EngagementModule],
  controllers: [CommentsController, FollowsController, FlagsController, ModerationController],
})
export class EngagementHttpModule {}
