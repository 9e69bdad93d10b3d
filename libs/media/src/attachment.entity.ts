import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AttachmentKind = 'image' | 'document';

/** A file attached to a subject: a photo (shown, with a thumbnail) or a document (downloaded). */
@Entity('attachments')
@Index('attachments_subject_idx', ['subjectType', 'subjectId', 'createdAt'])
// An erasure at the person's request finds their photos (migrations/*-PrivacyAndAccounts.ts).
@Index('attachments_uploader_idx', ['uploaderId'], { where: 'uploader_id IS NOT NULL' })
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'uuid', nullable: true })
  uploaderId: string | null;

  /** A photo or a document; each has its own routes and its own limit per subject. */
  @Column({ type: 'text', default: 'image' })
  kind: AttachmentKind;

  /** A document's name on download (cleaned, extension from its real type); null for photos. */
  @Column({ type: 'text', nullable: true })
  fileName: string | null;

  /** Detected from the bytes, never from the client's claim. */
  @Column({ type: 'text' })
  mimeType: string;

  /** Null for a document. */
  @Column({ type: 'int', nullable: true })
  width: number | null;

  @Column({ type: 'int', nullable: true })
  height: number | null;

  @Column({ type: 'int' })
  bytes: number;

  /** Storage keys of the file (a photo: the metadata-free full image) and a photo's thumbnail. */
  @Column({ type: 'text' })
  storageKey: string;

  @Column({ type: 'text', nullable: true })
  thumbnailKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
