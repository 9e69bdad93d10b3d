/**
 * Every domain event and its payload. Each library adds its own events to this map by module
 * augmentation in its `<domain>.events.ts`:
 *
 *   declare module '@app/common' {
 *     interface DomainEventMap { 'report.created': { reportId: string } }
 *   }
 *
 * so `OutboxService.record()` and consumers are checked against one typed contract.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

export type DomainEventType = keyof DomainEventMap & string;

/** An event as consumers see it, after it has been committed. */
export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  /** Monotonic id from the outbox; also the idempotency key of every consumer. */
  id: string;
  type: T;
  occurredAt: Date;
  aggregateType: string;
  aggregateId: string;
  municipalityId: string | null;
  actorId: string | null;
  payload: DomainEventMap[T];
}

export interface DomainEventMeta {
  aggregateType: string;
  aggregateId: string;
  municipalityId?: string | null;
  actorId?: string | null;
}
