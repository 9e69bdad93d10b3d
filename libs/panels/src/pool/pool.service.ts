import { Injectable } from '@nestjs/common';
import { AuditService, ErrorLocale, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { In } from 'typeorm';
import { VolunteerDto } from '../dto/volunteer.dto';
import { SEATED } from '../members/member-states';
import { MemberTransitions } from '../members/member-transitions';
import { PanelMemberEntity } from '../members/panel-member.entity';
import { PANEL_AUDIT } from '../panels.events';
import { AlreadyVolunteeredError, NotResidentError, PanelStateError, VolunteerNotFoundError } from '../panels.errors';
import { featureValueProblems } from '../panels/panel-rules';
import { PanelsService } from '../panels/panels.service';
import { PoolMemberEntity } from './pool-member.entity';
import { readPoolCsv, RejectedRow } from './pool-csv';
import { panelFieldError, rowReason } from '../panels/panel-field-errors';

export interface VolunteerView {
  id: string;
  panelId: string;
  features: Record<string, string>;
  address: string | null;
  consentVersion: string | null;
  consentedAt: Date | null;
  contact: PoolMemberEntity['contact'];
  createdAt: Date;
}

export const toVolunteerView = (m: PoolMemberEntity): VolunteerView => ({
  id: m.id,
  panelId: m.panelId,
  features: m.features,
  address: m.address,
  consentVersion: m.consentVersion,
  consentedAt: m.consentedAt,
  contact: m.contact,
  createdAt: m.createdAt,
});

/** A rejected row as the import report gives it: its reasons in the caller's language. */
export interface RejectedRowReport {
  line: number;
  externalId: string | null;
  reasons: string[];
}

export interface PoolImportReport {
  imported: number;
  rejected: RejectedRowReport[];
}

const toRejectedRowReport = (row: RejectedRow, locale: ErrorLocale): RejectedRowReport => ({
  line: row.line,
  externalId: row.externalId,
  reasons: row.problems.map((p) => rowReason(p, locale)),
});

/** Who is in a panel's pool: residents who volunteer, and residents imported from invitation rounds. */
@Injectable()
export class PoolService {
  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly transitions: MemberTransitions,
  ) {}

  async volunteer(actor: Actor, panelId: string, dto: VolunteerDto): Promise<VolunteerView> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId);
      if (!(await this.access.isResident(actor.id, panel.municipalityId, manager))) throw new NotResidentError();
      if (panel.status !== 'recruiting') throw new PanelStateError('PANEL_POOL_CLOSED', 'Recruitment for this panel is closed');
      const problems = featureValueProblems(panel.features, dto.features);
      if (dto.consentVersion !== panel.consentVersion) problems.push(panelFieldError('consentVersion', 'CONSENT_VERSION_NOT_CURRENT', { version: panel.consentVersion }));
      if (panel.householdRule && !dto.address) problems.push(panelFieldError('address', 'ADDRESS_REQUIRED_FOR_HOUSEHOLD'));
      if (problems.length) throw new ValidationError('Invalid volunteer profile', problems, 'INVALID_VOLUNTEER', 'unprocessable');
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(PoolMemberEntity)
        .values({
          panelId,
          userId: actor.id,
          features: dto.features,
          // Kept only where the household rule needs it.
          address: panel.householdRule ? dto.address! : null,
          consentVersion: panel.consentVersion,
          consentedAt: () => 'now()',
          contact: { email: dto.contact.email, post: dto.contact.post, phone: dto.contact.phone ?? null },
        })
        .orIgnore()
        .returning('*')
        .execute();
      if (!inserted.raw.length) throw new AlreadyVolunteeredError();
      return toVolunteerView(await manager.findOneByOrFail(PoolMemberEntity, { panelId, userId: actor.id }));
    });
  }

  async mine(actor: Actor, panelId: string): Promise<VolunteerView> {
    await this.panels.requirePanel(this.tx.manager, panelId);
    const row = await this.tx.manager.findOneBy(PoolMemberEntity, { panelId, userId: actor.id });
    if (!row) throw new VolunteerNotFoundError();
    return toVolunteerView(row);
  }

  /**
   * Withdrawing deletes the profile (address, values, consent, contact) at once; a seat the
   * volunteer holds on the panel is given up too (and a replacement drawn).
   */
  async withdraw(actor: Actor, panelId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      const result = await manager.delete(PoolMemberEntity, { panelId, userId: actor.id });
      if (!result.affected) throw new VolunteerNotFoundError();
      const seats = await manager.find(PanelMemberEntity, { where: { panelId, userId: actor.id, status: In([...SEATED]) }, lock: { mode: 'pessimistic_write' } });
      for (const seat of seats) await this.transitions.move(manager, panel, seat, 'withdrawn', 'withdrew', actor.id);
    });
  }

  async importCsv(actor: Actor, panelId: string, text: string, locale: ErrorLocale = 'en'): Promise<PoolImportReport> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true);
      await this.access.assertRole(actor, panel.municipalityId, ['admin'], manager);
      if (panel.status !== 'recruiting') throw new PanelStateError('PANEL_POOL_CLOSED', 'The pool is closed');
      const existing = await manager
        .createQueryBuilder(PoolMemberEntity, 'm')
        .select('m.externalId', 'externalId')
        .where('m.panel_id = :panelId AND m.external_id IS NOT NULL', { panelId })
        .getRawMany<{ externalId: string }>();
      const { accepted, rejected } = readPoolCsv(text, panel.features, new Set(existing.map((e) => e.externalId)));
      for (let i = 0; i < accepted.length; i += 1000) {
        await manager.insert(
          PoolMemberEntity,
          accepted.slice(i, i + 1000).map((row) => ({ panelId, externalId: row.externalId, household: row.household, features: row.features })),
        );
      }
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.poolImported, targetType: 'panel', targetId: panelId, after: { imported: accepted.length, rejected: rejected.length } });
      return { imported: accepted.length, rejected: rejected.map((row) => toRejectedRowReport(row, locale)) };
    });
  }
}
