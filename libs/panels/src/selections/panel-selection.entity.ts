import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PanelRun } from './panel-run';

/** One draw of a panel, with everything needed to re-run it (`npm run panel:draw -- run.json`). */
@Entity('panel_selections')
@Index('panel_selections_panel', ['panelId', 'createdAt'])
@Index('panel_selections_round', ['panelId', 'round'], { unique: true })
export class PanelSelectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  panelId: string;

  @Column({ type: 'text' })
  seed: string;

  /** The first draw, a replacement of declined / silent / withdrawn members, or a rotation. */
  @Column({ type: 'text', default: 'initial' })
  kind: 'initial' | 'replacement' | 'rotation';

  /** 0 for the first draw, then 1, 2... (unique per panel). */
  @Column({ type: 'int', default: 0 })
  round: number;

  @Column({ type: 'text' })
  poolHash: string;

  @Column({ type: 'text' })
  rulesHash: string;

  @Column({ type: 'text' })
  algorithmVersion: string;

  @Column({ type: 'text' })
  distributionHash: string;

  @Column({ type: 'double precision' })
  minimumProbability: number;

  /** Selection ids of the drawn members. */
  @Column({ type: 'jsonb' })
  members: string[];

  /** The run file: pool snapshot (pseudonymous), rules, seed, result. */
  @Column({ type: 'jsonb' })
  run: PanelRun;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
