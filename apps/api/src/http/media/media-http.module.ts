import { Module } from '@nestjs/common';
import { EngagementModule } from '@app/engagement';
import { MediaModule } from '@app/media';
import { PhotosController } from './photos.controller';

/** HTTP adapters of the media library: photo uploads on any subject that takes them, and serving. */
@Module({
  // EngagementModule provides the SubjectRegistry behind the `:collection/:id` parameter.
  imports: [MediaModule, EngagementModule],
  controllers: [PhotosController],
})
export class MediaHttpModule {}
