import { RegistrationEntity, RegistrationStatus } from './registration.entity';

export interface RegistrationView {
  id: string;
  sessionId: string;
  userId: string | null;
  walkInName: string | null;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  code: string | null;
  offerExpiresAt: string | null;
  checkedInAt: string | null;
  createdAt: string;
}

/** A roster line: the registration and the person's display name (a walk-in's name as given). */
export interface RosterEntryView extends RegistrationView {
  displayName: string | null;
}

export function toRegistrationView(r: RegistrationEntity, waitlistPosition: number | null = null, showCode = true): RegistrationView {
  return {
    id: r.id,
    sessionId: r.sessionId,
    userId: r.userId,
    walkInName: r.walkInName,
    status: r.status,
    waitlistPosition: r.status === 'waitlisted' ? waitlistPosition : null,
    code: showCode && r.status !== 'cancelled' ? r.code : null,
    offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null,
    checkedInAt: r.checkedInAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
