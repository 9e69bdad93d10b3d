import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService, TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { EntityManager, In } from 'typeorm';
import { PANEL_AUDIT } from '../panels.events';
import { QuotasInfeasibleError } from '../panels.errors';
import { PanelEntity } from '../panels/panel.entity';
import { quotasOf } from '../panels/panel-rules';
import { PanelsService } from '../panels/panels.service';
import { selectionIdOf } from '../panels/pool-snapshot';
import { PoolMemberEntity } from '../pool/pool-member.entity';
import { computeMaximinDistribution } from '../selection/maximin';
import { poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import { executeDraw, PanelRun } from '../selections/panel-run';
import { PanelSelectionEntity } from '../selections/panel-selection.entity';
import { MemberLifecycleService, TermStateError } from './member-lifecycle.service';
import { SEATED } from './member-states';
import { MemberTransitions } from './member-transitions';
import { PanelMemberEntity } from './panel-member.entity';
import { replacementProblem, rotationOrder } from './replacement-problem';

export interface RedrawOutcome {
  /** The draw's id, null when there was nothing to fill or no way to fill it. */
  selectionId: string | null;
  drawn: number;
  vacancies: number;
}

/**
 * Draws that complete a panel: after a decline, no answer or withdrawal (replacement), and at
 * the end of a term (rotation). Each is a maximin lottery over the ways to complete the seated
 * members into a panel meeting every quota and the household rule, drawn like the first one and
 * stored with its run file (`npm run panel:draw` re-runs it).
 */
@Injectable()
export class ReplacementDrawsService {
  private readonly logger = new Logger(ReplacementDrawsService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly transitions: MemberTransitions,
    private readonly lifecycle: MemberLifecycleService,
  ) {}

  /**
   * Fills the panel's vacancies, if any, in the caller's transaction (the worker's, for the event
   * that freed a seat). The seed is derived from the last public seed and the round, so the
   * draw is reproducible and nobody chooses it. Idempotent: with no vacancy it does nothing.
   */
  async fillVacancies(panelId: string, manager: EntityManager): Promise<RedrawOutcome> {
    const panel = await this.panels.requirePanel(manager, panelId, true, true);
    if (panel.status !== 'drawn') return { selectionId: null, drawn: 0, vacancies: 0 };
    const base = await manager.findOne(PanelSelectionEntity, { where: { panelId, kind: In(['initial', 'rotation']) }, order: { round: 'DESC' }, select: { id: true, seed: true } });
    const round = await this.nextRound(manager, panelId);
    return this.redraw(manager, panel, 'replacement', `${base?.seed ?? ''}#replacement-${round}`, round, null);
  }

  /**
   * Municipality admin, once the term has ended: the longest-serving `rotationShare` of the seats
   * rotate out and a draw with the newly revealed seed fills them; the next term starts now.
   */
  async rotate(actor: Actor, panelId: string, seed: string): Promise<RedrawOutcome> {
    return this.tx.run(async (manager) => {
      const panel = await this.panels.requirePanel(manager, panelId, true, true);
      await this.access.assertRole(actor, panel.municipalityId, ['admin'], manager);
      if (!panel.rotationDue) throw new TermStateError('PANEL_ROTATION_NOT_DUE', 'A rotation is due once the term has ended');
      const active = await manager.find(PanelMemberEntity, { where: { panelId, status: 'active' } });
      const leaving = rotationOrder(active, (id) => createHash('sha256').update(`${seed}\n${id}`).digest('hex')).slice(0, Math.min(active.length, Math.ceil(panel.rotationShare * panel.size)));
      for (const member of leaving) await this.transitions.move(manager, panel, member, 'rotated_out', 'rotation', actor.id);
      const round = await this.nextRound(manager, panelId);
      const outcome = await this.redraw(manager, panel, 'rotation', seed, round, actor.id);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.rotated, targetType: 'panel', targetId: panelId, after: { rotatedOut: leaving.length, drawn: outcome.drawn, seed } });
      await this.lifecycle.beginTerm(manager, panel, actor.id);
      return outcome;
    });
  }

  private async nextRound(manager: EntityManager, panelId: string): Promise<number> {
    const last = await manager.findOne(PanelSelectionEntity, { where: { panelId }, order: { round: 'DESC' }, select: { id: true, round: true } });
    return (last?.round ?? -1) + 1;
  }

  private async redraw(manager: EntityManager, panel: PanelEntity, kind: 'replacement' | 'rotation', seed: string, round: number, actorId: string | null): Promise<RedrawOutcome> {
    const members = await manager.find(PanelMemberEntity, { where: { panelId: panel.id } });
    const seated = members.filter((m) => SEATED.includes(m.status));
    const vacancies = panel.size - seated.length;
    if (vacancies <= 0) return { selectionId: null, drawn: 0, vacancies: 0 };
    const pool = panel.poolSnapshot ?? [];
    const profiles = await manager.find(PoolMemberEntity, { where: { panelId: panel.id }, select: { id: true, externalId: true } });
    const { problem, quotas } = replacementProblem({
      pool,
      quotas: quotasOf(panel.features),
      size: panel.size,
      householdRule: panel.householdRule,
      seated: seated.map((m) => ({ selectionId: m.selectionId, features: m.features, household: m.household })),
      everDrawn: new Set(members.map((m) => m.selectionId)),
      stillInPool: new Set(profiles.map(selectionIdOf)),
    });
    let distribution;
    try {
      if (problem.members.length < vacancies) throw new QuotasInfeasibleError([{ feature: '*', value: '*', min: vacancies, max: vacancies, shortBy: vacancies - problem.members.length, overBy: 0 }], 'Too few people left in the pool');
      distribution = await computeMaximinDistribution(problem);
    } catch (error) {
      if (!(error instanceof QuotasInfeasibleError)) throw error;
      // The seat stays empty; the representativeness report shows the quota it leaves unmet.
      this.logger.warn(`Panel ${panel.id}: no ${kind} draw can fill ${vacancies} seat(s): ${error.message}`);
      await this.audit.record(manager, { actorId, municipalityId: panel.municipalityId, action: PANEL_AUDIT.replacementFailed, targetType: 'panel', targetId: panel.id, after: { kind, vacancies, failures: error.failures } });
      return { selectionId: null, drawn: 0, vacancies };
    }
    const poolHash = poolSnapshotHash(problem.members);
    const rules = rulesHash(vacancies, panel.householdRule, problem.quotas);
    const result = await executeDraw({ pool: problem.members, quotas: problem.quotas, panelSize: vacancies, householdRule: panel.householdRule, seed, poolHash, rulesHash: rules, distribution });
    const run: PanelRun = {
      format: 'civic-panel-run/1',
      panelId: panel.id,
      panelSize: vacancies,
      householdRule: panel.householdRule,
      quotas: problem.quotas,
      pool: [...problem.members],
      poolHash,
      rulesHash: rules,
      algorithmVersion: distribution.algorithmVersion,
      seed,
      distributionHash: result.distributionHash,
      minimumProbability: distribution.minimumProbability,
      members: result.members,
      completes: { kind, round, committedPoolHash: panel.poolHash!, seated: seated.map((m) => m.selectionId).sort(), quotasLeft: quotas },
    };
    const saved = await manager.save(
      manager.create(PanelSelectionEntity, {
        panelId: panel.id,
        kind,
        round,
        seed,
        poolHash,
        rulesHash: rules,
        algorithmVersion: run.algorithmVersion,
        distributionHash: run.distributionHash,
        minimumProbability: run.minimumProbability,
        members: run.members,
        run,
        createdById: actorId,
      }),
    );
    const byId = new Map(problem.members.map((m) => [m.id, m]));
    await this.transitions.seatDrawn(manager, panel, { id: saved.id, kind }, result.members.map((id) => byId.get(id)!), actorId);
    await this.audit.record(manager, { actorId, municipalityId: panel.municipalityId, action: PANEL_AUDIT.replacementDrawn, targetType: 'panel', targetId: panel.id, after: { selectionId: saved.id, kind, round, seed, drawn: result.members.length } });
    return { selectionId: saved.id, drawn: result.members.length, vacancies };
  }
}
