import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The Open311 side of a report filed through GeoReport v2: the API key that filed it and the
 * fields the report itself has no column for. `mediaUrl` is the client's URL, kept as given and
 * never fetched by us; phone, device and account ids are for staff only.
 */
@Entity('open311_requests')
@Index('open311_requests_api_key_idx', { synchronize: false })
export class Open311RequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  reportId: string;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'text', nullable: true })
  mediaUrl: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  deviceId: string | null;

  @Column({ type: 'text', nullable: true })
  accountId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
