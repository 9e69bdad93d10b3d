import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per (consumer, event) that has been handled: the reason a redelivery is a no-op. */
@Entity('event_consumptions')
// Housekeeping deletes old records by age.
@Index('event_consumptions_consumed_idx', ['consumedAt'])
export class EventConsumptionEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ type: 'bigint' })
  eventId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  consumedAt: Date;
}
