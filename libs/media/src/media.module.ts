import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { AttachmentEntity } from './attachment.entity';
import { AttachmentsService } from './attachments.service';
import { DocumentsService } from './documents/documents.service';
import { MediaPersonalData } from './media-personal-data';
import { PhotosService } from './photos/photos.service';
import { DiskFileStorage } from './files/disk-file-storage';
import { FILE_STORAGE } from './files/file-storage';

/**
 * Attachments (photos and documents) for any subject, stored behind a FileStorage. Disk under
 * STORAGE_DIR today; an S3-compatible storage will be another FILE_STORAGE implementation.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AttachmentEntity]), IdentityModule, EngagementModule],
  providers: [
    AttachmentsService,
    PhotosService,
    DocumentsService,
    MediaPersonalData,
    { provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DiskFileStorage(config.storageDir) },
  ],
  exports: [AttachmentsService, PhotosService, DocumentsService],
})
export class MediaModule {}
