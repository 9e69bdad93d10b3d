import { Injectable } from '@nestjs/common';
import { AfterErasure, ErasureOptions, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { AttachmentEntity } from './attachment.entity';
import { AttachmentsService } from './attachments.service';

/**
 * Photos and documents a person uploaded. On erasure the photos stay with their subject (a public report keeps
 * its evidence) but no longer point to the person; they carry no metadata that could. When the
 * person asks for their contributions to be removed, their photos are deleted instead.
 */
@Injectable()
@ProvidesPersonalData('media')
export class MediaPersonalData implements PersonalDataContributor {
  constructor(private readonly attachments: AttachmentsService) {}

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const rows = await manager.find(AttachmentEntity, {
      where: { uploaderId: userId },
      order: { createdAt: 'ASC', id: 'ASC' },
      select: { id: true, subjectType: true, subjectId: true, kind: true, fileName: true, mimeType: true, width: true, height: true, createdAt: true },
    });
    return {
      uploads: rows.map((r) => ({
        id: r.id,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        kind: r.kind,
        fileName: r.fileName,
        mimeType: r.mimeType,
        width: r.width,
        height: r.height,
        createdAt: r.createdAt,
      })),
    };
  }

  async eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<AfterErasure | void> {
    if (options.removeContributions) return this.attachments.deleteUploadedBy(manager, userId);
    await manager.update(AttachmentEntity, { uploaderId: userId }, { uploaderId: null });
  }
}
