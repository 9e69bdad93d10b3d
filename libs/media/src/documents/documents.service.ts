import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthUser, ForbiddenError, OutboxService, selectEntities, SubjectInfo, TransactionService } from '@app/common';
import { SubjectNotFoundError, SubjectRef, SubjectRegistry } from '@app/engagement';
import { AccessService, isOwner } from '@app/identity';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AttachmentEntity } from '../attachment.entity';
import { AttachmentsService } from '../attachments.service';
import { FILE_STORAGE, FileStorage } from '../files/file-storage';
import { DocumentLimitReachedError, DocumentNotFoundError, DocumentRequiredError, DocumentsNotAcceptedError } from '../media.errors';
import { cleanFileName, processDocument } from './document-pipeline';
import { describeForUpload, MEDIA_STAFF_ROLES } from '../subject-uploads';


/**
 * How many documents a subject of each type may carry; a type not listed takes none. Like the
 * photo limits, a media rule kept here rather than in the shared SubjectProvider contract.
 */
export const MAX_DOCUMENTS_PER_SUBJECT: Readonly<Record<string, number>> = Object.freeze({
  proposal: 5,
});

export function maxDocumentsFor(subjectType: string): number | null {
  return Object.prototype.hasOwnProperty.call(MAX_DOCUMENTS_PER_SUBJECT, subjectType) ? MAX_DOCUMENTS_PER_SUBJECT[subjectType] : null;
}

export interface DocumentView {
  id: string;
  fileName: string;
  mimeType: string;
  bytes: number;
  url: string;
  createdAt: string;
}

export interface ServedDocument {
  fileName: string;
  contentType: string;
  size: number;
  isPublic: boolean;
  body: Readable;
}

/**
 * Documents (PDF, or an image kept as a file) on any registered subject that takes them: who may
 * add, see and remove them follows the photos' rules (PhotosService) — the subject's author and
 * the municipality's staff add; everyone sees them while the subject is public, otherwise its
 * author and staff; the uploader and staff remove. Stored as attachments of kind `document`,
 * counted against their own limit under the same per-subject lock as photos.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly attachments: AttachmentsService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  toView(a: AttachmentEntity): DocumentView {
    return {
      id: a.id,
      fileName: a.fileName ?? 'document',
      mimeType: a.mimeType,
      bytes: a.bytes,
      url: `${this.config.publicUrl}/api/v1/documents/${a.id}`,
      createdAt: a.createdAt.toISOString(),
    };
  }

  async upload(actor: AuthUser, subject: SubjectRef, bytes: Buffer | undefined, originalName: string | undefined): Promise<DocumentView> {
    const max = maxDocumentsFor(subject.type);
    if (max === null) throw new DocumentsNotAcceptedError(this.registry.collectionOf(subject.type) ?? subject.type);
    const info = await describeForUpload(this.registry, this.access, actor, subject, { message: 'Only its author and the municipality staff may add documents here', code: 'DOCUMENT_UPLOAD_FORBIDDEN' });
    if (!bytes || bytes.length === 0) throw new DocumentRequiredError();
    // Cheap early refusal before any sniffing or re-encoding; the authoritative count is the locked one.
    if ((await this.attachments.countForSubject(subject.type, subject.id, undefined, 'document')) >= max) throw new DocumentLimitReachedError(max);
    const doc = await processDocument(bytes);
    const id = randomUUID();
    // The key never carries the client's name; the name is only a column, quoted on download.
    const storageKey = `documents/${id.slice(0, 2)}/${id}.${doc.extension}`;
    try {
      await this.storage.put(storageKey, doc.bytes, doc.mimeType);
      const row = await this.tx.run(async (manager) => {
        await this.attachments.lockSubjects(manager, [[subject.type, subject.id]]);
        const count = await this.attachments.countForSubject(subject.type, subject.id, manager, 'document');
        if (count >= max) throw new DocumentLimitReachedError(max);
        const saved = await manager.save(
          manager.create(AttachmentEntity, {
            id,
            subjectType: subject.type,
            subjectId: subject.id,
            municipalityId: info.municipalityId,
            uploaderId: actor.id,
            kind: 'document',
            fileName: cleanFileName(originalName, doc.extension),
            mimeType: doc.mimeType,
            width: null,
            height: null,
            bytes: doc.bytes.length,
            storageKey,
            thumbnailKey: null,
          }),
        );
        await this.outbox.record(
          manager,
          'media.attachment_added',
          { attachmentId: id, subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, uploaderId: actor.id, count: count + 1, kind: 'document' },
          { aggregateType: subject.type, aggregateId: subject.id, municipalityId: info.municipalityId, actorId: actor.id },
        );
        return saved;
      });
      return this.toView(row);
    } catch (err) {
      await this.storage.delete(storageKey).catch((e: unknown) => this.logger.error({ key: storageKey, err: e }, 'Could not remove a document file'));
      throw err;
    }
  }

  /** The subject's documents, oldest first, for whoever may see the subject (404 otherwise). */
  async list(caller: AuthUser | undefined, subject: SubjectRef): Promise<DocumentView[]> {
    if (maxDocumentsFor(subject.type) === null) throw new DocumentsNotAcceptedError(this.registry.collectionOf(subject.type) ?? subject.type);
    const info = await this.registry.describe(subject);
    if (!info.isPublic && !(await this.access.isOwnerOrHasRole(caller, info.ownerId, info.municipalityId, MEDIA_STAFF_ROLES))) throw new SubjectNotFoundError();
    const rows = await selectEntities(this.tx.manager, AttachmentEntity, `subject_type = $1 AND subject_id = $2 AND kind = 'document' ORDER BY created_at, id`, [
      subject.type,
      subject.id,
    ]);
    return rows.map((r) => this.toView(r));
  }

  /** A document to download; who may not see it gets the 404 of one that does not exist. */
  async serve(caller: AuthUser | undefined, id: string): Promise<ServedDocument> {
    const attachment = await this.find(id);
    const info = await this.describe(attachment);
    const isPublic = info?.isPublic ?? false;
    if (!isPublic && !(await this.access.isOwnerOrHasRole(caller, info?.ownerId, attachment.municipalityId, MEDIA_STAFF_ROLES))) throw new DocumentNotFoundError();
    const file = await this.attachments.openFile(attachment, 'full');
    if (!file) throw new DocumentNotFoundError();
    return { fileName: attachment.fileName ?? 'document', contentType: file.contentType, size: file.size, isPublic, body: file.body };
  }

  /** Removes a document (its uploader, the municipality's staff); audited, with its event. */
  async remove(actor: AuthUser, id: string): Promise<void> {
    const attachment = await this.find(id);
    const staff = await this.access.hasRole(actor, attachment.municipalityId, MEDIA_STAFF_ROLES);
    const uploader = isOwner(attachment.uploaderId, actor.id);
    if (!staff && !uploader) {
      const info = await this.describe(attachment);
      if (!info?.isPublic && !isOwner(info?.ownerId, actor.id)) throw new DocumentNotFoundError();
      throw new ForbiddenError('Only its uploader and the municipality staff may remove a document', 'DOCUMENT_DELETE_FORBIDDEN');
    }
    await this.attachments.remove(attachment, { actorId: actor.id, as: uploader ? 'uploader' : 'staff' }).catch((err: unknown) => {
      throw err instanceof Error && 'code' in err && err.code === 'PHOTO_NOT_FOUND' ? new DocumentNotFoundError() : err;
    });
  }

  private async find(id: string): Promise<AttachmentEntity> {
    const attachment = await this.attachments.findById(id);
    if (!attachment || attachment.kind !== 'document') throw new DocumentNotFoundError();
    return attachment;
  }

  private async describe(attachment: AttachmentEntity): Promise<SubjectInfo | null> {
    if (!this.registry.collectionOf(attachment.subjectType)) return null;
    try {
      return await this.registry.describe({ type: attachment.subjectType, id: attachment.subjectId });
    } catch (err) {
      if (err instanceof SubjectNotFoundError) return null;
      throw err;
    }
  }
}
