import { Injectable } from '@nestjs/common';
import { AuditService, TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { LRUCache } from 'lru-cache';
import { PANEL_AUDIT } from '../panels.events';
import { PanelStateError, SelectionNotFoundError } from '../panels.errors';
import { PanelEntity } from '../panels/panel.entity';
import { quotasOf } from '../panels/panel-rules';
import { PanelsService } from '../panels/panels.service';
import { poolSnapshot } from '../panels/pool-snapshot';
import { PoolMemberEntity } from '../pool/pool-member.entity';
import { computeMaximinDistribution } from '../selection/maximin';
import { poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import type { PoolMember, SelectionDistribution } from '../selection/selection.types';
import { MemberTransitions } from '../members/member-transitions';
import { PanelSelectionEntity } from './panel-selection.entity';
import { executeDraw, PanelRun } from './panel-run';

export interface SelectionProbabilitiesView {
  algorithmVersion: string;
  poolHash: string;
  rulesHash: string;
  poolSize: number;
  minimumProbability: number;
  minimumProbabilityUpperBound: number;
  /** 1 − minimum / bound: the most the lottery's minimum can fall short of the best possible (proven; ≤ 0.001). */
  certifiedGap: number;
  /** Selection ids no valid panel can contain. */
  unreachable: string[];
  panelsInSupport: number;
  /** By selection id: the CSV's external id, or the volunteer profile id. */
  probabilities: Array<{ id: string; probability: number }>;
}

export interface SelectionView {
  id: string;
  panelId: string;
  /** The first draw, a replacement or a rotation; `round` 0, 1, 2... */
  kind: PanelSelectionEntity['kind'];
  round: number;
  seed: string;
  poolHash: string;
  rulesHash: string;
  algorithmVersion: string;
  distributionHash: string;
  minimumProbability: number;
  members: string[];
  createdAt: Date;
}

const toSelectionView = (s: PanelSelectionEntity): SelectionView => ({
  id: s.id,
  panelId: s.panelId,
  kind: s.kind,
  round: s.round,
  seed: s.seed,
  poolHash: s.poolHash,
  rulesHash: s.rulesHash,
  algorithmVersion: s.algorithmVersion,
  distributionHash: s.distributionHash,
  minimumProbability: s.minimumProbability,
  members: s.members,
  createdAt: s.createdAt,
});

/** Staff who may see probabilities and selections; admins draw. */
const STAFF = ['staff', 'admin'] as const;

/**
 * Selection by lot: the maximin lottery over valid panels and the seeded draw from it. The
 * lottery is a pure function of (pool, rules, algorithm), so it is cached by their hashes.
 */
@Injectable()
export class SelectionsService {
  private readonly lotteries = new LRUCache<string, SelectionDistribution>({ max: 20 });

  constructor(
    private readonly tx: TransactionService,
    private readonly panels: PanelsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly transitions: MemberTransitions,
  ) {}

  async probabilities(actor: Actor, panelId: string): Promise<SelectionProbabilitiesView> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId, false, true);
    await this.access.assertRole(actor, panel.municipalityId, [...STAFF]);
    const pool = panel.poolSnapshot ?? poolSnapshot(panel, await this.tx.manager.find(PoolMemberEntity, { where: { panelId } }));
    const poolHash = poolSnapshotHash(pool);
    const rules = rulesHash(panel.size, panel.householdRule, quotasOf(panel.features));
    const distribution = await this.lottery(panel, pool, poolHash, rules);
    return {
      algorithmVersion: distribution.algorithmVersion,
      poolHash,
      rulesHash: rules,
      poolSize: pool.length,
      minimumProbability: distribution.minimumProbability,
      minimumProbabilityUpperBound: distribution.minimumProbabilityUpperBound,
      certifiedGap: distribution.certifiedGap,
      unreachable: distribution.unreachable,
      panelsInSupport: distribution.panels.length,
      probabilities: pool.map((m) => ({ id: m.id, probability: distribution.probabilities[m.id] })),
    };
  }

  private async lottery(panel: PanelEntity, pool: PoolMember[], poolHash: string, rules: string): Promise<SelectionDistribution> {
    const key = `${poolHash}:${rules}`;
    const cached = this.lotteries.get(key);
    if (cached) return cached;
    const distribution = await computeMaximinDistribution({ members: pool, quotas: quotasOf(panel.features), panelSize: panel.size, householdRule: panel.householdRule });
    this.lotteries.set(key, distribution);
    return distribution;
  }

  /** Draws the panel from the pool committed at close, with the seed revealed since. */
  async draw(actor: Actor, panelId: string, seed: string): Promise<SelectionView> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId, false, true);
    await this.access.assertRole(actor, panel.municipalityId, ['admin']);
    assertDrawable(panel);
    const pool = panel.poolSnapshot as PoolMember[];
    const quotas = quotasOf(panel.features);
    // Solved outside the transaction (it can take a while); the state is re-checked under lock.
    const distribution = await this.lottery(panel, pool, panel.poolHash!, panel.rulesHash!);
    const result = await executeDraw({ pool, quotas, panelSize: panel.size, householdRule: panel.householdRule, seed, poolHash: panel.poolHash!, rulesHash: panel.rulesHash!, distribution });
    const run: PanelRun = {
      format: 'civic-panel-run/1',
      panelId,
      panelSize: panel.size,
      householdRule: panel.householdRule,
      quotas,
      pool,
      poolHash: panel.poolHash!,
      rulesHash: panel.rulesHash!,
      algorithmVersion: result.distribution.algorithmVersion,
      seed,
      distributionHash: result.distributionHash,
      minimumProbability: result.distribution.minimumProbability,
      members: result.members,
    };
    return this.tx.run(async (manager) => {
      const locked = await this.panels.requirePanel(manager, panelId, true);
      assertDrawable(locked);
      const saved = await manager.save(
        manager.create(PanelSelectionEntity, {
          panelId,
          seed,
          poolHash: run.poolHash,
          rulesHash: run.rulesHash,
          algorithmVersion: run.algorithmVersion,
          distributionHash: run.distributionHash,
          minimumProbability: run.minimumProbability,
          members: run.members,
          run,
          createdById: actor.id,
        }),
      );
      await manager.update(PanelEntity, { id: panelId }, { status: 'drawn' });
      const byId = new Map(pool.map((m) => [m.id, m]));
      await this.transitions.seatDrawn(manager, locked, { id: saved.id, kind: 'initial' }, run.members.map((id) => byId.get(id)!), actor.id);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.drawn, targetType: 'panel', targetId: panelId, after: { selectionId: saved.id, seed, poolHash: run.poolHash, members: run.members.length } });
      return toSelectionView(saved);
    });
  }

  async list(actor: Actor, panelId: string): Promise<SelectionView[]> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId);
    await this.access.assertRole(actor, panel.municipalityId, [...STAFF]);
    // Everything but the run file, which holds the whole pool snapshot.
    const rows = await this.tx.manager.find(PanelSelectionEntity, {
      where: { panelId },
      order: { round: 'ASC' },
      select: { id: true, panelId: true, kind: true, round: true, seed: true, poolHash: true, rulesHash: true, algorithmVersion: true, distributionHash: true, minimumProbability: true, members: true, createdAt: true },
    });
    return rows.map(toSelectionView);
  }

  /** The run file of a selection, for `npm run panel:draw -- run.json`. */
  async run(actor: Actor, panelId: string, selectionId: string): Promise<PanelRun> {
    const panel = await this.panels.requirePanel(this.tx.manager, panelId);
    await this.access.assertRole(actor, panel.municipalityId, [...STAFF]);
    if (!/^[0-9a-f-]{36}$/i.test(selectionId)) throw new SelectionNotFoundError();
    const row = await this.tx.manager.findOneBy(PanelSelectionEntity, { id: selectionId, panelId });
    if (!row) throw new SelectionNotFoundError();
    return row.run;
  }
}

function assertDrawable(panel: PanelEntity): void {
  if (panel.status === 'recruiting') throw new PanelStateError('PANEL_POOL_NOT_CLOSED', 'Close the pool (publishing its hash) before the seed is revealed and the panel drawn');
  if (panel.status === 'drawn') throw new PanelStateError('PANEL_ALREADY_DRAWN', 'This panel has been drawn');
}
