import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PanelRun } from './panel-run';

/** One draw of a panel, with everything needed to re-run it (`npm run panel:draw -- run.json`). */
@Entity('panel_selections')
@Index('panel_selections_panel', ['panelId', 'createdAt'])
export class PanelSelectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  panelId: string;

  @Column({ type: 'text' })
  seed: string;

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
