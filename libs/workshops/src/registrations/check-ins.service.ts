import { Injectable } from '@nestjs/common';
import { assertIdempotencyKey, IdempotencyService, OutboxService, TransactionService, ValidationError } from '@app/common';
import { Actor } from '@app/identity';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { WorkshopAccessService } from '../access/workshop-access.service';
import { CheckInDto } from '../dto/registration.dto';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { CheckInCodeUnknownError, NotRegisteredError, SessionCancelledError, SessionNotFoundError, WorkshopForbiddenError } from '../workshops.errors';
import { newCheckInCode, normalizeCode } from './check-in-code';
import { RegistrationEntity } from './registration.entity';
import { lockSession, meta } from './session-lock';
import { RegistrationView, toRegistrationView } from './registration-view';

export interface CheckInView extends RegistrationView {
  /** True when this request recorded the attendance; false for a repeat (a replayed offline scan). */
  counted: boolean;
}

const SCOPE = 'workshop-check-in';

/**
 * Attendance at the door, recorded by the session's facilitators or the town's staff: a code
 * (typed or scanned from the QR code) or a walk-in by name. A check-in made offline is sent later
 * with its Idempotency-Key; a replay finds the key taken and returns the first result, uncounted.
 */
@Injectable()
export class CheckInsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly access: WorkshopAccessService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async checkIn(actor: Actor, sessionId: string, dto: CheckInDto, idempotencyKey?: string): Promise<CheckInView> {
    if (!(await this.access.sessionSummary(sessionId))) throw new SessionNotFoundError();
    if (!(await this.access.canRunSession(actor, sessionId))) throw new WorkshopForbiddenError();
    if ((dto.code === undefined) === (dto.walkInName === undefined)) {
      throw new ValidationError('Give either a code or a walk-in name', [{ field: 'code', code: 'CODE_OR_WALK_IN', message: 'give exactly one of code and walkInName' }]);
    }
    if (idempotencyKey !== undefined) assertIdempotencyKey(idempotencyKey);
    return this.tx.run(async (manager) => {
      const session = await lockSession(manager, sessionId);
      if (session.status === 'cancelled') throw new SessionCancelledError();
      const claim = (resourceId: string) =>
        idempotencyKey ? this.idempotency.claim(manager, { userId: actor.id, scope: `${SCOPE}:${sessionId}`, key: idempotencyKey, body: dto, resourceId }) : Promise.resolve(null);
      if (dto.code !== undefined) {
        const r = await manager.findOneBy(RegistrationEntity, { sessionId, code: normalizeCode(dto.code) });
        if (!r) throw new CheckInCodeUnknownError();
        const replayOf = await claim(r.id);
        if (replayOf) return { ...toRegistrationView(r), counted: false };
        return this.recordCode(manager, actor, session, r);
      }
      const id = randomUUID();
      const replayOf = await claim(id);
      if (replayOf) return { ...toRegistrationView(await manager.findOneByOrFail(RegistrationEntity, { id: replayOf })), counted: false };
      return this.recordWalkIn(manager, actor, session, id, dto.walkInName!);
    });
  }

  private async recordCode(manager: EntityManager, actor: Actor, session: WorkshopSessionEntity, r: RegistrationEntity): Promise<CheckInView> {
    if (r.status !== 'registered') throw new NotRegisteredError(r.status);
    if (r.checkedInAt) return { ...toRegistrationView(r), counted: false };
    r.checkedInAt = new Date();
    r.checkedInById = actor.id;
    await manager.save(r);
    await this.outbox.record(manager, 'workshops.checked_in', { registrationId: r.id, sessionId: session.id, userId: r.userId, walkIn: false }, meta(session, actor.id));
    return { ...toRegistrationView(r), counted: true };
  }

  /** A walk-in takes a seat even over the capacity: they are in the room already. */
  private async recordWalkIn(manager: EntityManager, actor: Actor, session: WorkshopSessionEntity, id: string, name: string): Promise<CheckInView> {
    await manager.insert(RegistrationEntity, { id, sessionId: session.id, userId: null, walkInName: name.trim(), status: 'registered', code: newCheckInCode(), checkedInAt: new Date(), checkedInById: actor.id });
    await manager.increment(WorkshopSessionEntity, { id: session.id }, 'seatsTaken', 1);
    const r = await manager.findOneByOrFail(RegistrationEntity, { id });
    await this.outbox.record(manager, 'workshops.checked_in', { registrationId: id, sessionId: session.id, userId: null, walkIn: true }, meta(session, actor.id));
    return { ...toRegistrationView(r), counted: true };
  }
}
