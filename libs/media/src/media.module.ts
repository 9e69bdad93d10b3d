import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentEntity } from './attachment.entity';
import { AttachmentsService } from './attachments.service';

/** Attachments (photos first) for any subject, stored behind a storage interface. */
@Module({
  imports: [TypeOrmModule.forFeature([AttachmentEntity])],
  providers: [AttachmentsService],
  exports: [AttachmentsService],
})
export class MediaModule {}
