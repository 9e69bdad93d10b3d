import { Injectable } from '@nestjs/common';
import { AuthUser, ForbiddenError, SubjectInfo } from '@app/common';
import { SubjectNotFoundError, SubjectRef, SubjectRegistry } from '@app/engagement';
import { AccessService, isOwner } from '@app/identity';
import type { Readable } from 'node:stream';
import { AttachmentEntity } from '../attachment.entity';
import { AddedImage, AttachmentSize, AttachmentsService, AttachmentView } from '../attachments.service';
import { AttachmentNotFoundError, AttachmentsNotAcceptedError, PhotoRequiredError } from '../media.errors';
import { maxPhotosFor } from './photo-limits';
import { describeForUpload, MEDIA_STAFF_ROLES } from '../subject-uploads';


/** A photo ready to send, or only its validators when the client's copy is current. */
export type ServedPhoto =
  | { notModified: true; etag: string; isPublic: boolean }
  | { notModified: false; etag: string; isPublic: boolean; contentType: string; size: number; body: Readable };

/**
 * Photos on any registered subject: who may add them, who may see them. What a subject is (its
 * municipality, whether it is public, who made it) comes from its library's SubjectProvider
 * through the engagement SubjectRegistry.
 */
@Injectable()
export class PhotosService {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
  ) {}

  /**
   * Adds a photo. The subject's author (a report's reporter) and the municipality's staff and
   * admins may; anyone else gets 403, or 404 when the subject is not public anyway.
   */
  async upload(actor: AuthUser, subject: SubjectRef, bytes: Buffer | undefined, idempotencyKey?: string): Promise<AddedImage> {
    const max = maxPhotosFor(subject.type);
    if (max === null) throw new AttachmentsNotAcceptedError(this.registry.collectionOf(subject.type) ?? subject.type);
    const info = await describeForUpload(this.registry, this.access, actor, subject, { message: 'Only its author and the municipality staff may add photos here', code: 'PHOTO_UPLOAD_FORBIDDEN' });
    if (!bytes || bytes.length === 0) throw new PhotoRequiredError();
    return this.attachments.addImage({
      subjectType: subject.type,
      subjectId: subject.id,
      municipalityId: info.municipalityId,
      uploaderId: actor.id,
      bytes,
      maxPerSubject: max,
      idempotencyKey,
    });
  }

  /**
   * A subject's photos, oldest first, for whoever may see the subject (the 404 of a subject that
   * does not exist otherwise) — the list that report views embed, for subjects whose view does not.
   */
  async list(caller: AuthUser | undefined, subject: SubjectRef): Promise<AttachmentView[]> {
    if (maxPhotosFor(subject.type) === null) throw new AttachmentsNotAcceptedError(this.registry.collectionOf(subject.type) ?? subject.type);
    const info = await this.registry.describe(subject);
    if (!info.isPublic && !(await this.access.isOwnerOrHasRole(caller, info.ownerId, info.municipalityId, MEDIA_STAFF_ROLES))) throw new SubjectNotFoundError();
    return (await this.attachments.listBySubjects(subject.type, [subject.id])).get(subject.id) ?? [];
  }

  /**
   * Removes a photo, which frees its slot: its uploader, and the staff and admins of its
   * municipality, may. Anyone else who may see it gets 403; who may not see it, the 404 of a
   * photo that does not exist.
   */
  async remove(actor: AuthUser, id: string): Promise<void> {
    const attachment = await this.attachments.findById(id);
    // A document is not a photo: DocumentsService serves and removes those.
    if (!attachment || attachment.kind !== 'image') throw new AttachmentNotFoundError();
    const staff = await this.access.hasRole(actor, attachment.municipalityId, MEDIA_STAFF_ROLES);
    // An erased uploader's photos have no uploader (null), which never equals a caller.
    const uploader = isOwner(attachment.uploaderId, actor.id);
    if (!staff && !uploader) {
      const info = await this.describe(attachment);
      if (!info?.isPublic && !isOwner(info?.ownerId, actor.id)) throw new AttachmentNotFoundError();
      throw new ForbiddenError('Only its uploader and the municipality staff may remove a photo', 'PHOTO_DELETE_FORBIDDEN');
    }
    await this.attachments.remove(attachment, { actorId: actor.id, as: uploader ? 'uploader' : 'staff' });
  }

  /**
   * A photo for GET /photos/:id: anyone may see it while its subject is public; otherwise only
   * the municipality's staff and the subject's author. Everyone else gets the same 404 as for a
   * photo that does not exist. Stored files never change, so the ETag is the id and size.
   */
  async serve(caller: AuthUser | undefined, id: string, size: AttachmentSize, ifNoneMatch: string | undefined): Promise<ServedPhoto> {
    const attachment = await this.attachments.findById(id);
    if (!attachment || attachment.kind !== 'image') throw new AttachmentNotFoundError();
    const info = await this.describe(attachment);
    const isPublic = info?.isPublic ?? false;
    if (!isPublic) {
      const maySee = await this.access.isOwnerOrHasRole(caller, info?.ownerId, attachment.municipalityId, MEDIA_STAFF_ROLES);
      if (!maySee) throw new AttachmentNotFoundError();
    }
    const etag = `"${attachment.id}.${size}"`;
    if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) return { notModified: true, etag, isPublic };
    const file = await this.attachments.openFile(attachment, size);
    if (!file) throw new AttachmentNotFoundError();
    return { notModified: false, etag, isPublic, contentType: file.contentType, size: file.size, body: file.body };
  }

  /** What the owning library says about the photo's subject; null if it or its type is gone. */
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

/** If-None-Match: `*` or a list of (possibly weak) entity tags. */
export function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
