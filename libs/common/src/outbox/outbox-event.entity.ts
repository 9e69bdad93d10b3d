import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('outbox_events')
// The relay only ever scans what is not yet handed to the queue.
@Index('outbox_events_unpublished_idx', ['id'], { where: 'published_at IS NULL' })
// Housekeeping deletes published events by age.
@Index('outbox_events_published_idx', ['publishedAt'], { where: 'published_at IS NOT NULL' })
@Index('outbox_events_aggregate_idx', ['aggregateType', 'aggregateId', 'id'])
export class OutboxEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  aggregateType: string;

  @Column({ type: 'text' })
  aggregateId: string;

  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
