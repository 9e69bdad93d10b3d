import type { SessionSlot } from '../workshops.events';
import { WorkshopSessionEntity } from './session.entity';
import { instantToLocal } from './session-times';

export interface SessionView {
  id: string;
  workshopId: string;
  municipalityId: string;
  startsAt: string;
  endsAt: string;
  localStartsAt: string;
  localEndsAt: string;
  timezone: string;
  registrationCutoffAt: string;
  venueId: string | null;
  roomId: string | null;
  capacity: number;
  seatsLeft: number;
  status: WorkshopSessionEntity['status'];
  sequence: number;
}

export function toSessionView(s: WorkshopSessionEntity, timezone: string): SessionView {
  return {
    id: s.id,
    workshopId: s.workshopId,
    municipalityId: s.municipalityId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    localStartsAt: instantToLocal(s.startsAt, timezone),
    localEndsAt: instantToLocal(s.endsAt, timezone),
    timezone,
    registrationCutoffAt: s.registrationCutoffAt.toISOString(),
    venueId: s.venueId,
    roomId: s.roomId,
    capacity: s.capacity,
    seatsLeft: Math.max(0, s.capacity - s.seatsTaken),
    status: s.status,
    sequence: s.sequence,
  };
}

export function slotOf(s: Pick<WorkshopSessionEntity, 'startsAt' | 'endsAt' | 'venueId' | 'roomId'>): SessionSlot {
  return { startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), venueId: s.venueId, roomId: s.roomId };
}
