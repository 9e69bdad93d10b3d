import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A client's Idempotency-Key, per user and operation, with the resource its first request
 * created: a retried POST (phones on bad networks) returns that resource instead of a new one.
 */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  /** The operation, e.g. `report.create`. */
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** sha256 of the request body: the same key with another body is a client bug, not a retry. */
  @Column({ type: 'text' })
  requestHash: string;

  @Column({ type: 'uuid' })
  resourceId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
