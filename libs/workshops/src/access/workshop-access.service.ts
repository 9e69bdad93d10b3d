import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { EntityManager } from 'typeorm';
import { isUuid } from '../ids';

/** What other parts (the live board, realtime policies) may know of a session. */
export interface SessionSummary {
  id: string;
  workshopId: string;
  municipalityId: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
}

/**
 * Who may act on a workshop session, for this library's services and for the live board: the
 * workshop's facilitators, the people checked in at the door, and the town's staff.
 */
@Injectable()
export class WorkshopAccessService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
  ) {}

  /** True when `userId` facilitates the workshop this session belongs to. */
  async isFacilitator(sessionId: string, userId: string | null | undefined, manager?: EntityManager): Promise<boolean> {
    if (!isUuid(sessionId) || !isUuid(userId)) return false;
    const rows = (await (manager ?? this.tx.manager).query(
      `SELECT 1 FROM workshop_sessions s JOIN workshop_facilitators f ON f.workshop_id = s.workshop_id AND f.user_id = $2 WHERE s.id = $1`,
      [sessionId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** True when `userId` holds a registration of the session that was checked in at the door. */
  async isCheckedIn(sessionId: string, userId: string | null | undefined, manager?: EntityManager): Promise<boolean> {
    if (!isUuid(sessionId) || !isUuid(userId)) return false;
    const rows = (await (manager ?? this.tx.manager).query(
      `SELECT 1 FROM workshop_registrations WHERE session_id = $1 AND user_id = $2 AND status = 'registered' AND checked_in_at IS NOT NULL`,
      [sessionId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The municipality a session belongs to; null when there is no such session. */
  async sessionMunicipality(sessionId: string, manager?: EntityManager): Promise<string | null> {
    return (await this.sessionSummary(sessionId, manager))?.municipalityId ?? null;
  }

  async sessionSummary(sessionId: string, manager?: EntityManager): Promise<SessionSummary | null> {
    if (!isUuid(sessionId)) return null;
    const [row] = (await (manager ?? this.tx.manager).query(
      `SELECT id, workshop_id AS "workshopId", municipality_id AS "municipalityId", starts_at AS "startsAt", ends_at AS "endsAt", status
         FROM workshop_sessions WHERE id = $1`,
      [sessionId],
    )) as SessionSummary[];
    return row ?? null;
  }

  /** Facilitators of the session's workshop, or the town's staff and admins. */
  async canRunSession(actor: Actor | undefined, sessionId: string, manager?: EntityManager): Promise<boolean> {
    if (!actor) return false;
    const municipalityId = await this.sessionMunicipality(sessionId, manager);
    if (!municipalityId) return false;
    if (await this.access.hasRole(actor, municipalityId, ['staff', 'admin'], manager)) return true;
    return this.isFacilitator(sessionId, actor.id, manager);
  }

  /** Facilitators of the workshop, or the town's staff and admins. */
  async canManageWorkshop(actor: Actor | undefined, workshopId: string, municipalityId: string, manager?: EntityManager): Promise<boolean> {
    if (!actor) return false;
    if (await this.access.hasRole(actor, municipalityId, ['staff', 'admin'], manager)) return true;
    const rows = (await (manager ?? this.tx.manager).query(`SELECT 1 FROM workshop_facilitators WHERE workshop_id = $1 AND user_id = $2`, [workshopId, actor.id])) as unknown[];
    return rows.length > 0;
  }
}
