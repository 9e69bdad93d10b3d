import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A file attached to a subject (a report's photos; later proposals, workshops). */
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

  /** Detected from the bytes, never from the client's claim. */
  @Column({ type: 'text' })
  mimeType: string;

  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ type: 'int' })
  bytes: number;

  /** Storage keys of the metadata-free full image and its thumbnail. */
  @Column({ type: 'text' })
  storageKey: string;

  @Column({ type: 'text' })
  thumbnailKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
