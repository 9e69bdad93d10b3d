import { Module } from '@nestjs/common';
import { EngagementModule } from '@app/engagement';
import { MediaModule } from '@app/media';
import { DocumentsController } from './documents.controller';
import { PhotosController } from './photos.controller';

/** HTTP adapters of the media library: photo and document uploads on any subject that takes them, and serving. */
@Module({
  // EngagementModule provides the SubjectRegistry behind the `:collection/:id` parameter.
  imports: [MediaModule, EngagementModule],
  controllers: [PhotosController, DocumentsController],
})
export class MediaHttpModule {}
