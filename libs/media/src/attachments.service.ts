import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, assertIdempotencyKey, AuditService, IdempotencyService, OutboxService, selectEntities, TransactionService } from '@app/common';
import { SubjectRegistry } from '@app/engagement';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { AttachmentEntity, AttachmentKind } from './attachment.entity';
import { EXTENSION_BY_TYPE, processImage } from './images/image-pipeline';
import { AttachmentLimitReachedError, AttachmentNotFoundError } from './media.errors';
import { FILE_STORAGE, FileStorage, StoredFile } from './files/file-storage';

export interface AttachmentView {
  id: string;
  mimeType: string;
  width: number;
  height: number;
  url: string;
  thumbnailUrl: string;
  createdAt: string;
}

export type AttachmentSize = 'full' | 'thumb';
export const ATTACHMENT_SIZES: readonly AttachmentSize[] = ['full', 'thumb'];

export interface AddImageInput {
  subjectType: string;
  subjectId: string;
  municipalityId: string;
  uploaderId: string | null;
  bytes: Buffer;
  /** At most this many attachments on the subject, counted under a lock. */
  maxPerSubject: number;
  /** The client's Idempotency-Key: a retry gets the first upload's photo, and uses no slot. */
  idempotencyKey?: string;
}

/** What an upload answered: the photo, and whether this request stored it or replayed a first one. */
export interface AddedImage {
  view: AttachmentView;
  created: boolean;
}

/** Who removes a photo, for the audit trail. */
export interface AttachmentRemoval {
  actorId: string;
  /** 'uploader' or 'staff': which right was used. */
  as: 'uploader' | 'staff';
}

export interface AttachmentFile extends StoredFile {
  contentType: string;
}

const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Files attached to subjects (report photos first), keyed by (subject type, id). The bytes live
 * behind FileStorage; a row exists only once both of its files are stored, and files whose row
 * never committed are removed again.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly subjects: SubjectRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  toView(a: AttachmentEntity): AttachmentView {
    const base = `${this.config.publicUrl}/api/v1/photos/${a.id}`;
    return {
      id: a.id,
      mimeType: a.mimeType,
      width: a.width ?? 0,
      height: a.height ?? 0,
      url: `${base}?size=full`,
      thumbnailUrl: `${base}?size=thumb`,
      createdAt: a.createdAt.toISOString(),
    };
  }

  /** Photos of many subjects at once, oldest first (documents: DocumentsService). */
  async listBySubjects(subjectType: string, subjectIds: readonly string[], manager: EntityManager = this.tx.manager): Promise<Map<string, AttachmentView[]>> {
    const out = new Map<string, AttachmentView[]>();
    if (subjectIds.length === 0) return out;
    const rows = await selectEntities(manager, AttachmentEntity, `subject_type = $1 AND subject_id = ANY($2::uuid[]) AND kind = 'image' ORDER BY created_at, id`, [
      subjectType,
      [...new Set(subjectIds)],
    ]);
    for (const row of rows) {
      const list = out.get(row.subjectId) ?? [];
      list.push(this.toView(row));
      out.set(row.subjectId, list);
    }
    return out;
  }

  async findById(id: string, manager: EntityManager = this.tx.manager): Promise<AttachmentEntity | null> {
    return manager.findOne(AttachmentEntity, { where: { id } });
  }

  /** How many photos (or documents) the subject has; each kind has its own limit. */
  async countForSubject(subjectType: string, subjectId: string, manager: EntityManager = this.tx.manager, kind: AttachmentKind = 'image'): Promise<number> {
    return manager.count(AttachmentEntity, { where: { subjectType, subjectId, kind } });
  }

  /**
   * Attaches an image: checks and cleans it (see processImage: type from the bytes, metadata
   * stripped, orientation applied, size capped, thumbnail made), stores both files, then inserts
   * the row — counted under a per-subject lock so concurrent uploads cannot exceed the limit —
   * with its outbox event. If anything after the files were written fails, they are removed.
   */
  async addImage(input: AddImageInput): Promise<AddedImage> {
    if (input.idempotencyKey !== undefined) assertIdempotencyKey(input.idempotencyKey);
    // The key stands for this subject and these bytes (their digest: the body of a multipart
    // upload is the file); the same key with another photo is refused, not replayed.
    const claim =
      input.idempotencyKey !== undefined && input.uploaderId
        ? {
            userId: input.uploaderId,
            scope: 'photo.upload',
            key: input.idempotencyKey,
            body: { subjectType: input.subjectType, subjectId: input.subjectId, sha256: createHash('sha256').update(input.bytes).digest('hex') },
          }
        : null;
    // A retry is answered before anything is decoded or counted (the subject may be full now).
    const replayed = claim && (await this.idempotency.findClaimed(this.tx.manager, claim));
    if (replayed) return { view: await this.replay(replayed), created: false };
    // Cheap early refusal before any decoding; the authoritative count is the locked one below.
    if ((await this.countForSubject(input.subjectType, input.subjectId)) >= input.maxPerSubject) {
      throw new AttachmentLimitReachedError(input.maxPerSubject);
    }
    const image = await processImage(input.bytes);

    const id = randomUUID();
    const dir = `photos/${id.slice(0, 2)}`;
    const storageKey = `${dir}/${id}-full.${EXTENSION_BY_TYPE[image.mimeType]}`;
    const thumbnailKey = `${dir}/${id}-thumb.webp`;
    try {
      await Promise.all([
        this.storage.put(storageKey, image.full, image.mimeType),
        this.storage.put(thumbnailKey, image.thumbnail, image.thumbnailMimeType),
      ]);
      const row = await this.tx.run(async (manager) => {
        await this.lockSubject(manager, input.subjectType, input.subjectId);
        // Two concurrent requests with one key: the second waits here for the first's commit.
        const earlier = claim && (await this.idempotency.claim(manager, { ...claim, resourceId: id }));
        if (earlier) return earlier;
        const count = await this.countForSubject(input.subjectType, input.subjectId, manager);
        if (count >= input.maxPerSubject) throw new AttachmentLimitReachedError(input.maxPerSubject);
        const entity = manager.create(AttachmentEntity, {
          id,
          subjectType: input.subjectType,
          subjectId: input.subjectId,
          municipalityId: input.municipalityId,
          uploaderId: input.uploaderId,
          mimeType: image.mimeType,
          width: image.width,
          height: image.height,
          bytes: image.full.length,
          storageKey,
          thumbnailKey,
        });
        const saved = await manager.save(entity);
        await this.outbox.record(
          manager,
          'media.attachment_added',
          {
            attachmentId: id,
            subjectType: input.subjectType,
            subjectId: input.subjectId,
            municipalityId: input.municipalityId,
            uploaderId: input.uploaderId,
            count: count + 1,
          },
          { aggregateType: input.subjectType, aggregateId: input.subjectId, municipalityId: input.municipalityId, actorId: input.uploaderId },
        );
        await this.counted(manager, input.subjectType, input.subjectId, count + 1);
        return saved;
      });
      if (typeof row === 'string') {
        await this.removeFiles([storageKey, thumbnailKey]);
        return { view: await this.replay(row), created: false };
      }
      return { view: this.toView(row), created: true };
    } catch (err) {
      await this.removeFiles([storageKey, thumbnailKey]);
      throw err;
    }
  }

  /**
   * Removes one attachment: the row (under the subject's lock, with the subject's new count), an
   * outbox event and an audit entry in one transaction, then its files. Frees its slot.
   */
  async remove(attachment: AttachmentEntity, by: AttachmentRemoval): Promise<void> {
    const removed = await this.tx.run(async (manager) => {
      await this.lockSubject(manager, attachment.subjectType, attachment.subjectId);
      const deleted: Array<{ id: string }> = await manager
        .createQueryBuilder()
        .delete()
        .from(AttachmentEntity)
        .where('id = :id', { id: attachment.id })
        .returning(['id'])
        .execute()
        .then((r) => r.raw as Array<{ id: string }>);
      // Removed meanwhile by someone else: the same answer as for a photo that never existed.
      if (deleted.length === 0) throw new AttachmentNotFoundError();
      const count = await this.countForSubject(attachment.subjectType, attachment.subjectId, manager);
      await this.outbox.record(
        manager,
        'media.attachments_deleted',
        { attachmentIds: [attachment.id], subjectType: attachment.subjectType, subjectId: attachment.subjectId },
        { aggregateType: attachment.subjectType, aggregateId: attachment.subjectId, municipalityId: attachment.municipalityId, actorId: by.actorId },
      );
      const what = attachment.kind === 'document' ? 'document' : 'photo';
      await this.audit.record(manager, {
        actorId: by.actorId,
        municipalityId: attachment.municipalityId,
        action: `${what}.deleted`,
        targetType: what,
        targetId: attachment.id,
        before: { subjectType: attachment.subjectType, subjectId: attachment.subjectId, uploaderId: attachment.uploaderId, as: by.as },
        after: null,
      });
      await this.counted(manager, attachment.subjectType, attachment.subjectId, count);
      return attachment;
    });
    await this.removeFiles(filesOf([removed]));
  }

  /** The first upload's answer for a replayed key; a photo deleted since is not found. */
  private async replay(attachmentId: string): Promise<AttachmentView> {
    const first = await this.findById(attachmentId);
    if (!first) throw new AttachmentNotFoundError();
    return this.toView(first);
  }

  /**
   * Moves every attachment of one subject to another inside the caller's transaction (a report
   * merged into another: its photos join the target). The target may end up above its usual
   * limit; a merge must not fail or drop photos for that. A caller holding locks on the subjects'
   * rows takes lockSubjects before them.
   */
  async moveToSubject(manager: EntityManager, fromType: string, fromId: string, toType: string, toId: string): Promise<number> {
    if (fromType === toType && fromId === toId) return 0;
    // Both subjects, in a fixed order, so two opposite merges cannot deadlock.
    await this.lockSubjects(manager, [
      [fromType, fromId],
      [toType, toId],
    ]);
    const moved: Array<{ id: string }> = await manager
      .createQueryBuilder()
      .update(AttachmentEntity)
      .set({ subjectType: toType, subjectId: toId })
      .where('subject_type = :fromType AND subject_id = :fromId', { fromType, fromId })
      .returning(['id'])
      .execute()
      .then((r) => r.raw as Array<{ id: string }>);
    if (moved.length === 0) return 0;
    const count = await this.countForSubject(toType, toId, manager);
    await this.counted(manager, fromType, fromId, 0);
    await this.counted(manager, toType, toId, count);
    await this.outbox.record(
      manager,
      'media.attachments_moved',
      { attachmentIds: moved.map((m) => m.id), fromType, fromId, toType, toId, count },
      { aggregateType: toType, aggregateId: toId },
    );
    return moved.length;
  }

  /** Removes a subject's attachments: rows in one transaction, then their files (best effort). */
  async deleteForSubject(subjectType: string, subjectId: string): Promise<number> {
    const removed = await this.tx.run(async (manager) => {
      await this.lockSubject(manager, subjectType, subjectId);
      const rows = await manager.find(AttachmentEntity, { where: { subjectType, subjectId } });
      if (rows.length === 0) return rows;
      await manager.delete(AttachmentEntity, { id: In(rows.map((r) => r.id)) });
      await this.outbox.record(
        manager,
        'media.attachments_deleted',
        { attachmentIds: rows.map((r) => r.id), subjectType, subjectId },
        { aggregateType: subjectType, aggregateId: subjectId, municipalityId: rows[0].municipalityId },
      );
      await this.counted(manager, subjectType, subjectId, 0);
      return rows;
    });
    await this.removeFiles(filesOf(removed));
    return removed.length;
  }

  /**
   * Removes every attachment `uploaderId` added, inside the caller's transaction (an erasure at
   * the person's request): the subjects' counts follow and each subject gets its
   * `media.attachments_deleted` event. Returns what deletes the files, to call once that
   * transaction has committed (before, a rollback would leave rows without files).
   */
  async deleteUploadedBy(manager: EntityManager, uploaderId: string): Promise<() => Promise<void>> {
    const subjects: Array<{ subject_type: string; subject_id: string }> = await manager.query(
      `SELECT DISTINCT subject_type, subject_id FROM attachments WHERE uploader_id = $1`,
      [uploaderId],
    );
    if (subjects.length === 0) return async () => undefined;
    await this.lockSubjects(manager, subjects.map((s) => [s.subject_type, s.subject_id] as const));
    const removed: AttachmentEntity[] = [];
    for (const { subject_type: subjectType, subject_id: subjectId } of subjects) {
      const rows = await manager.find(AttachmentEntity, { where: { subjectType, subjectId, uploaderId } });
      if (rows.length === 0) continue;
      await manager.delete(AttachmentEntity, { id: In(rows.map((r) => r.id)) });
      await this.outbox.record(
        manager,
        'media.attachments_deleted',
        { attachmentIds: rows.map((r) => r.id), subjectType, subjectId },
        { aggregateType: subjectType, aggregateId: subjectId, municipalityId: rows[0].municipalityId },
      );
      await this.counted(manager, subjectType, subjectId, await this.countForSubject(subjectType, subjectId, manager));
      removed.push(...rows);
    }
    return () => this.removeFiles(filesOf(removed));
  }

  /** The stored bytes of one size of an attachment, or null if the file is gone. */
  async openFile(attachment: AttachmentEntity, size: AttachmentSize): Promise<AttachmentFile | null> {
    const key = size === 'thumb' ? attachment.thumbnailKey : attachment.storageKey;
    if (!key) return null;
    const file = await this.storage.get(key);
    if (!file) {
      this.logger.warn({ attachmentId: attachment.id, key }, 'Attachment file missing from storage');
      return null;
    }
    const extension = key.slice(key.lastIndexOf('.') + 1);
    return { ...file, contentType: attachment.kind === 'document' ? attachment.mimeType : (CONTENT_TYPE_BY_EXTENSION[extension] ?? 'application/octet-stream') };
  }

  /**
   * Takes the per-subject locks that serialise counting and changing attachments, in a fixed
   * order, until the caller's transaction ends (taking one again is free). A caller that also
   * locks the subjects' own rows in that transaction (a report merge) takes these first: an
   * upload locks the subject's row after them, when its owner records the new count
   * (attachmentsCounted), and the opposite order could deadlock with it.
   */
  async lockSubjects(manager: EntityManager, subjects: ReadonlyArray<readonly [type: string, id: string]>): Promise<void> {
    const keys = [...new Set(subjects.map(([type, id]) => `attachments:${type}:${id}`))].sort();
    for (const key of keys) await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  private async lockSubject(manager: EntityManager, subjectType: string, subjectId: string): Promise<void> {
    await this.lockSubjects(manager, [[subjectType, subjectId]]);
  }

  /** Tells the subject's owner how many photos it has now, in the same transaction (see SubjectProvider). */
  async counted(manager: EntityManager, subjectType: string, subjectId: string, count: number): Promise<void> {
    await this.subjects.providerOf(subjectType)?.attachmentsCounted?.(subjectId, count, manager);
  }

  private async removeFiles(keys: string[]): Promise<void> {
    const results = await Promise.allSettled(keys.map((key) => this.storage.delete(key)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') this.logger.error({ key: keys[i], err: result.reason }, 'Could not remove an attachment file');
    });
  }
}

/** The stored files of some attachments (a document has no thumbnail). */
function filesOf(rows: readonly AttachmentEntity[]): string[] {
  return rows.flatMap((r) => (r.thumbnailKey ? [r.storageKey, r.thumbnailKey] : [r.storageKey]));
}
