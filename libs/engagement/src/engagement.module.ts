import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { CommentEntity } from './comment.entity';
import { CommentVersionEntity } from './comment-version.entity';
import { CommentChangesService } from './comments/comment-changes.service';
import { CommentsService } from './comments/comments.service';
import { FlagEntity } from './flag.entity';
import { FlagsService } from './flags/flags.service';
import { FollowEntity } from './follow.entity';
import { FollowsService } from './follows/follows.service';
import { ModerationContributorEntity, ModerationItemEntity, ModerationSettingsEntity } from './moderation/moderation.entities';
import { ModerationQueueService } from './moderation/moderation-queue.service';
import { ModerationSettingsService } from './moderation/moderation-settings.service';
import { ModerationService } from './moderation/moderation.service';
import { ModerationDecidedNotificationRule } from './notifications/moderation-decided.rule';
import { EngagementPersonalData } from './personal-data/engagement-personal-data';
import { CommentReplyNotificationRule } from './notifications/comment-reply.rule';
import { CommentSubjectProvider } from './subjects/comment-subject.provider';
import { SubjectRegistry } from './subjects/subject-registry';

/**
 * Comments, follows, flags and moderation (pre-moderation rules, the staff's queue), built once for every subject type. The libraries that
 * own subjects (reports, proposals, workshops) plug in with @ProvidesSubject; nothing here
 * imports them.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CommentEntity, CommentVersionEntity, FollowEntity, FlagEntity, ModerationSettingsEntity, ModerationContributorEntity, ModerationItemEntity]),
    IdentityModule,
  ],
  providers: [
    SubjectRegistry,
    CommentsService,
    CommentChangesService,
    FollowsService,
    FlagsService,
    ModerationSettingsService,
    ModerationService,
    ModerationQueueService,
    CommentSubjectProvider,
    EngagementPersonalData,
    // Who hears of what (discovered by the notifications pipeline).
    CommentReplyNotificationRule,
    ModerationDecidedNotificationRule,
  ],
  exports: [SubjectRegistry, CommentsService, CommentChangesService, FollowsService, FlagsService, ModerationService, ModerationSettingsService, ModerationQueueService],
})
export class EngagementModule {}
