import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { PanelsService } from '../panels/panels.service';
import { PanelMemberEntity } from './panel-member.entity';
import { isSeated } from './member-states';

export interface QuotaStanding {
  feature: string;
  value: string;
  min: number;
  max: number;
  /** People in the committed pool with this value. */
  pool: number;
  /** Seats held (selected, confirmed or active) by people with this value. */
  seated: number;
  active: number;
  /** Whether the seats held meet [min, max]. */
  met: boolean;
}

export interface ResponseRate {
  feature: string;
  value: string;
  /** Everyone ever drawn with this value. */
  invited: number;
  /** Confirmed at some point (even if since rotated out or withdrawn). */
  accepted: number;
  declined: number;
  noAnswer: number;
  /** Still to answer. */
  pending: number;
  /** accepted / (invited − pending); null while nobody has answered. */
  rate: number | null;
}

export interface RepresentativenessReport {
  panelId: string;
  size: number;
  termNumber: number;
  seated: number;
  active: number;
  quotas: QuotaStanding[];
  responseRates: ResponseRate[];
  overall: Omit<ResponseRate, 'feature' | 'value'>;
}

/** Staff: the panel against its quotas, and who answers the invitations, by feature value. */
@Injectable()
export class RepresentativenessService {
  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
  ) {}

  async report(actor: Actor, panelId: string): Promise<RepresentativenessReport> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId, false, true);
    await this.access.assertRole(actor, panel.municipalityId, ['staff', 'admin']);
    const members = await this.tx.manager.find(PanelMemberEntity, { where: { panelId } });
    const pool = panel.poolSnapshot ?? [];
    const quotas: QuotaStanding[] = [];
    const responseRates: ResponseRate[] = [];
    for (const feature of panel.features) {
      for (const value of feature.values) {
        const having = members.filter((m) => m.features[feature.code] === value.code);
        const seated = having.filter((m) => isSeated(m.status)).length;
        quotas.push({
          feature: feature.code,
          value: value.code,
          min: value.min,
          max: value.max,
          pool: pool.filter((m) => m.features[feature.code] === value.code).length,
          seated,
          active: having.filter((m) => m.status === 'active').length,
          met: seated >= value.min && seated <= value.max,
        });
        responseRates.push({ feature: feature.code, value: value.code, ...rates(having) });
      }
    }
    return {
      panelId,
      size: panel.size,
      termNumber: panel.termNumber,
      seated: members.filter((m) => isSeated(m.status)).length,
      active: members.filter((m) => m.status === 'active').length,
      quotas,
      responseRates,
      overall: rates(members),
    };
  }
}

function rates(members: PanelMemberEntity[]): Omit<ResponseRate, 'feature' | 'value'> {
  const accepted = members.filter((m) => m.confirmedAt !== null).length;
  const declined = members.filter((m) => m.status === 'declined').length;
  const noAnswer = members.filter((m) => m.status === 'expired').length;
  const pending = members.filter((m) => m.status === 'selected').length;
  // Withdrawn before confirming counts as a decline: they answered no.
  const withdrewUnconfirmed = members.filter((m) => m.status === 'withdrawn' && m.confirmedAt === null).length;
  const answered = members.length - pending;
  return { invited: members.length, accepted, declined: declined + withdrewUnconfirmed, noAnswer, pending, rate: answered ? accepted / answered : null };
}
