import { Injectable } from '@nestjs/common';
import { AuditService, decodeCursor, encodeCursor, Page, TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { MemberListQueryDto } from '../dto/member.dto';
import { PANEL_AUDIT } from '../panels.events';
import { PanelsService } from '../panels/panels.service';
import { PanelMemberNotFoundError } from './member-lifecycle.service';
import { MemberStatus, PanelMemberEntity, PanelMemberHistoryEntity } from './panel-member.entity';
import { PanelMemberView, toPanelMemberView } from './panel-member.view';

export interface MemberHistoryEntryView {
  from: MemberStatus | null;
  to: MemberStatus;
  reason: string;
  /** Whether a person (the member, an admin) made the change rather than the clock or a draw. */
  byPerson: boolean;
  at: Date;
}

export interface InvitationLetterView {
  memberId: string;
  /** The CSV's external id: the town's mail merge finds the name and postal address by it. */
  externalId: string;
  code: string;
  respondBy: Date;
}

const STAFF = ['staff', 'admin'] as const;

/** The town's view of a panel's seats: who holds them, their history, the letters to print. */
@Injectable()
export class MemberRosterService {
  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Staff: members, longest-standing first (keyset on selection time and id), optionally by status. */
  async list(actor: Actor, panelId: string, query: MemberListQueryDto): Promise<Page<PanelMemberView>> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId);
    await this.access.assertRole(actor, panel.municipalityId, [...STAFF]);
    const limit = query.limit ?? 50;
    const qb = this.tx.manager
      .createQueryBuilder(PanelMemberEntity, 'm')
      .where('m.panel_id = :panelId', { panelId })
      .orderBy('m.selected_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.cursor) {
      const c = decodeCursor(query.cursor, ['at', 'id'] as const, { at: 'timestamptz', id: 'uuid' });
      qb.andWhere('(m.selected_at, m.id) > (:at::timestamptz, :id::uuid)', c);
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toPanelMemberView), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.selectedAt.toISOString(), id: last.id }) : null };
  }

  /** Staff: every status change of one member, oldest first. */
  async history(actor: Actor, panelId: string, memberId: string): Promise<MemberHistoryEntryView[]> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId);
    await this.access.assertRole(actor, panel.municipalityId, [...STAFF]);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(memberId)) throw new PanelMemberNotFoundError();
    if (!(await this.tx.manager.exists(PanelMemberEntity, { where: { id: memberId, panelId } }))) throw new PanelMemberNotFoundError();
    const rows = await this.tx.manager.find(PanelMemberHistoryEntity, { where: { memberId }, order: { id: 'ASC' } });
    return rows.map((h) => ({ from: h.fromStatus, to: h.toStatus, reason: h.reason, byPerson: h.actorId !== null, at: h.at }));
  }

  /**
   * Municipality admin: the codes to print on the letters of imported residents who were drawn
   * and have not answered (they have no account; the town knows their postal address by the
   * external id). Each export is audited: the codes are as good as a seat until redeemed.
   */
  async invitationLetters(actor: Actor, panelId: string): Promise<InvitationLetterView[]> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId);
    await this.access.assertRole(actor, panel.municipalityId, ['admin']);
    const rows = await this.tx.manager
      .createQueryBuilder(PanelMemberEntity, 'm')
      .addSelect('m.invitationCode')
      .where(`m.panel_id = :panelId AND m.status = 'selected' AND m.invitation_code IS NOT NULL`, { panelId })
      .orderBy('m.selection_id', 'ASC')
      .getMany();
    await this.tx.run((manager) =>
      this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.lettersExported, targetType: 'panel', targetId: panelId, after: { letters: rows.length } }),
    );
    return rows.map((m) => ({ memberId: m.id, externalId: m.selectionId, code: formatCode(m.invitationCode!), respondBy: m.respondBy }));
  }
}

/** `ABCDEFGHJKMN` → `ABCD-EFGH-JKMN`, easier to read off paper. */
const formatCode = (code: string): string => code.match(/.{1,4}/g)!.join('-');
