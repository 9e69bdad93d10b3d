import { Injectable } from '@nestjs/common';
import './members.errors';
import { AuditService, DomainException, NotFoundError, OutboxService, TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { EntityManager, In } from 'typeorm';
import { PANEL_AUDIT } from '../panels.events';
import { PanelEntity } from '../panels/panel.entity';
import { PanelsService } from '../panels/panels.service';
import { isSeated, MemberChangeReason } from './member-states';
import { MemberTransitions, normalizeInvitationCode } from './member-transitions';
import { PanelMemberEntity } from './panel-member.entity';
import { PanelMemberView, toPanelMemberView } from './panel-member.view';
import { panelFieldError } from '../panels/panel-field-errors';

export class PanelMemberNotFoundError extends NotFoundError {
  constructor() {
    super('PANEL_MEMBER_NOT_FOUND', 'Panel membership');
  }
}

/** A letter's code that is unknown, already used, or whose invitation has ended. */
export class InvitationCodeInvalidError extends DomainException {
  constructor() {
    super('PANEL_INVITATION_CODE_INVALID', 'unprocessable', 'This invitation code is not valid (unknown, already used, or its deadline has passed)', [
      panelFieldError('code', 'INVITATION_CODE_INVALID'),
    ]);
  }
}

export class AlreadyPanelMemberError extends DomainException {
  constructor() {
    super('PANEL_ALREADY_MEMBER', 'conflict', 'This account already holds a seat on this panel');
  }
}

export class TermStateError extends DomainException {
  constructor(code: 'PANEL_TERM_RUNNING' | 'PANEL_TERM_NOT_READY' | 'PANEL_ROTATION_NOT_DUE', message: string) {
    super(code, 'conflict', message);
  }
}

/**
 * A member's own answers (confirm, decline, withdraw, redeem a letter's code) and the clock's
 * (no answer by the deadline, the term's start and end). Every change goes through
 * MemberTransitions: row, history, audit, event in one transaction.
 */
@Injectable()
export class MemberLifecycleService {
  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly transitions: MemberTransitions,
  ) {}

  /** The caller's seat on the panel (any status but those that ended it before it began). */
  async mine(actor: Actor, panelId: string): Promise<PanelMemberView> {
    await this.panels.requirePanel(this.tx.manager, panelId);
    return toPanelMemberView(await this.requireOwn(this.tx.manager, panelId, actor.id));
  }

  /**
   * An imported resident signs up and types the code of their letter: the seat is now theirs,
   * still to be confirmed or declined. The code works once, only while the invitation is open.
   */
  async redeem(actor: Actor, panelId: string, code: string): Promise<PanelMemberView> {
    const normalized = normalizeInvitationCode(code);
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      const member = normalized.length === 12
        ? await manager.createQueryBuilder(PanelMemberEntity, 'm').where('m.invitation_code = :code AND m.panel_id = :panelId', { code: normalized, panelId }).setLock('pessimistic_write').getOne()
        : null;
      if (!member || member.status !== 'selected' || member.userId) throw new InvitationCodeInvalidError();
      if (await manager.exists(PanelMemberEntity, { where: { panelId, userId: actor.id, status: In(['selected', 'confirmed', 'active']) } })) throw new AlreadyPanelMemberError();
      await manager.update(PanelMemberEntity, { id: member.id }, { userId: actor.id, invitationCode: null });
      member.userId = actor.id;
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.invitationRedeemed, targetType: 'panel_member', targetId: member.id });
      return toPanelMemberView(member);
    });
  }

  async confirm(actor: Actor, panelId: string): Promise<PanelMemberView> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      const member = await this.requireOwn(manager, panelId, actor.id, true);
      await this.transitions.move(manager, panel, member, 'confirmed', 'confirmed', actor.id);
      if (panel.termNumber > 0) {
        // A replacement joining a running term sits at once.
        await this.transitions.move(manager, panel, member, 'active', 'joined_term', actor.id);
        return toPanelMemberView(member);
      }
      await this.startTermIfFull(manager, panel, actor.id);
      return toPanelMemberView(await manager.findOneByOrFail(PanelMemberEntity, { id: member.id }));
    });
  }

  async decline(actor: Actor, panelId: string): Promise<PanelMemberView> {
    return this.answerEnding(actor, panelId, 'declined', 'declined');
  }

  /** Leaving the panel at any time; the seat goes to a replacement draw. */
  async withdraw(actor: Actor, panelId: string): Promise<PanelMemberView> {
    return this.answerEnding(actor, panelId, 'withdrawn', 'withdrew');
  }

  private async answerEnding(actor: Actor, panelId: string, to: 'declined' | 'withdrawn', reason: MemberChangeReason): Promise<PanelMemberView> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      const member = await this.requireOwn(manager, panelId, actor.id, true);
      await this.transitions.move(manager, panel, member, to, reason, actor.id);
      return toPanelMemberView(member);
    });
  }

  /**
   * The deadline job: a member still `selected` at `respondBy` has not answered and is replaced.
   * Promoting the delayed job is what its date arriving does; a member who answered meanwhile,
   * or whose deadline moved, is left alone.
   */
  async expireIfUnanswered(memberId: string, respondBy: string): Promise<'expired' | 'answered'> {
    return this.tx.run(async (manager) => {
      const member = await manager.createQueryBuilder(PanelMemberEntity, 'm').where('m.id = :memberId', { memberId }).setLock('pessimistic_write').getOne();
      if (!member || member.status !== 'selected' || member.respondBy.toISOString() !== respondBy) return 'answered';
      const panel = await this.panels.requirePanel(manager, member.panelId);
      await this.transitions.move(manager, panel, member, 'expired', 'no_answer', null);
      return 'expired';
    });
  }

  /** Municipality admin: start the term with the seats confirmed so far (when a seat cannot be filled). */
  async startTerm(actor: Actor, panelId: string): Promise<PanelEntity> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      await this.access.assertRole(actor, panel.municipalityId, ['admin'], manager);
      if (panel.termNumber > 0) throw new TermStateError('PANEL_TERM_RUNNING', 'The term has already started');
      const confirmed = await manager.count(PanelMemberEntity, { where: { panelId, status: 'confirmed' } });
      if (!confirmed) throw new TermStateError('PANEL_TERM_NOT_READY', 'Nobody has confirmed yet');
      await this.beginTerm(manager, panel, actor.id);
      return panel;
    });
  }

  /** The term-end job: the term is over, a rotation (with a new public seed) is due. */
  async endTerm(panelId: string, termNumber: number): Promise<boolean> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      if (panel.termNumber !== termNumber || panel.rotationDue) return false;
      await manager.update(PanelEntity, { id: panelId }, { rotationDue: true });
      await this.audit.record(manager, { actorId: null, municipalityId: panel.municipalityId, action: PANEL_AUDIT.termEnded, targetType: 'panel', targetId: panelId, after: { termNumber } });
      return true;
    });
  }

  /** When every seat is confirmed the first term begins and the confirmed become active. */
  private async startTermIfFull(manager: EntityManager, panel: PanelEntity, actorId: string | null): Promise<void> {
    const confirmed = await manager.count(PanelMemberEntity, { where: { panelId: panel.id, status: 'confirmed' } });
    if (confirmed >= panel.size) await this.beginTerm(manager, panel, actorId);
  }

  /** Starts term `termNumber + 1` now: confirmed members become active; its end is scheduled by the event. */
  async beginTerm(manager: EntityManager, panel: PanelEntity, actorId: string | null): Promise<void> {
    const start = new Date();
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + panel.termMonths);
    Object.assign(panel, { termNumber: panel.termNumber + 1, termStartedAt: start, termEndsAt: end, rotationDue: false });
    await manager.update(PanelEntity, { id: panel.id }, { termNumber: panel.termNumber, termStartedAt: start, termEndsAt: end, rotationDue: false });
    const confirmed = await manager.find(PanelMemberEntity, { where: { panelId: panel.id, status: 'confirmed' }, order: { selectionId: 'ASC' } });
    for (const member of confirmed) await this.transitions.move(manager, panel, member, 'active', 'term_started', actorId);
    await this.audit.record(manager, { actorId, municipalityId: panel.municipalityId, action: PANEL_AUDIT.termStarted, targetType: 'panel', targetId: panel.id, after: { termNumber: panel.termNumber, endsAt: end.toISOString() } });
    await this.outbox.record(manager, 'panels.term_started', { panelId: panel.id, termNumber: panel.termNumber, endsAt: end.toISOString() }, { aggregateType: 'panel', aggregateId: panel.id, municipalityId: panel.municipalityId, actorId });
  }

  private async requireOwn(manager: EntityManager, panelId: string, userId: string, lock = false): Promise<PanelMemberEntity> {
    const qb = manager.createQueryBuilder(PanelMemberEntity, 'm').where('m.panel_id = :panelId AND m.user_id = :userId', { panelId, userId });
    if (lock) qb.setLock('pessimistic_write');
    const rows = await qb.getMany();
    // The current seat first, else the latest one that ended.
    const member = rows.find((m) => isSeated(m.status)) ?? rows.sort((a, b) => b.selectedAt.getTime() - a.selectedAt.getTime())[0];
    if (!member) throw new PanelMemberNotFoundError();
    return member;
  }
}
