import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { AttachmentEntity } from './attachment.entity';

export interface AttachmentView {
  id: string;
  mimeType: string;
  width: number;
  height: number;
  url: string;
  thumbnailUrl: string;
  createdAt: string;
}

/** Files attached to subjects; uploads and serving are added by the photos work. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  toView(a: AttachmentEntity): AttachmentView {
    const base = `${this.config.publicUrl}/api/v1/photos/${a.id}`;
    return {
      id: a.id,
      mimeType: a.mimeType,
      width: a.width,
      height: a.height,
      url: `${base}?size=full`,
      thumbnailUrl: `${base}?size=thumb`,
      createdAt: a.createdAt.toISOString(),
    };
  }

  /** Attachments of many subjects at once, oldest first. */
  async listBySubjects(subjectType: string, subjectIds: readonly string[], manager: EntityManager = this.tx.manager): Promise<Map<string, AttachmentView[]>> {
    const out = new Map<string, AttachmentView[]>();
    if (subjectIds.length === 0) return out;
    const rows = await manager.find(AttachmentEntity, {
      where: { subjectType, subjectId: In([...new Set(subjectIds)]) },
      order: { createdAt: 'ASC' },
    });
    for (const row of rows) {
      const list = out.get(row.subjectId) ?? [];
      list.push(this.toView(row));
      out.set(row.subjectId, list);
    }
    return out;
  }
}
