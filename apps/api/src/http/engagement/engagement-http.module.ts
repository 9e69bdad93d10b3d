import { Module } from '@nestjs/common';
import { EngagementModule } from '@app/engagement';
import { CommentsController } from './comments.controller';
import { FlagsController } from './flags.controller';
import { FollowsController } from './follows.controller';

/** HTTP adapters of the engagement library: generic over every registered subject collection. */
@Module({
  imports: [EngagementModule],
  controllers: [CommentsController, FollowsController, FlagsController],
})
export class EngagementHttpModule {}
