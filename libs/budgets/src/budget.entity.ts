import type { BudgetEligibility } from './eligibility';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BallotRule } from './ballot-rules';
import type { Add1Variant, OutcomeRule } from './outcome';

export type BudgetPhase = 'proposing' | 'reviewing' | 'voting' | 'tallying' | 'finished';
export const BUDGET_PHASES: readonly BudgetPhase[] = ['proposing', 'reviewing', 'voting', 'tallying', 'finished'];

export interface LocalizedText {
  fr: string;
  en: string;
}

/** A participatory budget: its amount, rules and phases. Amounts are whole currency units. */
/** A district's heading: its amount and, if it differs from the budget's, its own ballot rule. */
export interface DistrictHeading {
  districtId: string;
  amount: number;
  ballotRule?: BallotRule;
}

@Entity('budgets')
@Index('budgets_municipality_idx', ['municipalityId', 'id'])
export class BudgetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'jsonb' })
  title: LocalizedText;

  @Column({ type: 'jsonb' })
  description: LocalizedText;

  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'text' })
  currency: string;

  /** Per-district amounts (CONSUL's headings), each with its own ballot rule if set; `amount` is the town-wide heading's. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  districtAmounts: DistrictHeading[];

  @Column({ type: 'jsonb' })
  ballotRule: BallotRule;

  @Column({ type: 'text' })
  outcomeRule: OutcomeRule;

  @Column({ type: 'text', nullable: true })
  add1: Add1Variant | null;

  /** Beyond residency: district-only headings, a minimum age (eligibility.ts). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  eligibility: BudgetEligibility;

  @Column({ type: 'text' })
  phase: BudgetPhase;

  @Column({ type: 'timestamptz' })
  proposingEndsAt: Date;

  @Column({ type: 'timestamptz' })
  reviewingEndsAt: Date;

  @Column({ type: 'timestamptz' })
  votingEndsAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** `withdrawn`: taken back by its proposer before review; kept (comments, audit) but out of the list. */
export type BudgetProjectStatus = 'proposed' | 'feasible' | 'unfeasible' | 'on_ballot' | 'withdrawn';

@Entity('budget_projects')
@Index('budget_projects_budget_idx', ['budgetId', 'status', 'id'])
@Index('budget_projects_district_idx', ['budgetId', 'districtId', 'id'])
export class BudgetProjectEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  budgetId: string;

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  /** The district heading the project is in; null for the town-wide heading. */
  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'bigint' })
  cost: string;

  /** Where the project would be (WGS 84), if it has a place. */
  @Column({ type: 'double precision', nullable: true })
  lng: number | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  /** The citizen proposal it was imported from (libs/proposals), if any. */
  @Column({ type: 'uuid', nullable: true })
  proposalId: string | null;

  @Column({ type: 'text' })
  status: BudgetProjectStatus;

  @Column({ type: 'text', nullable: true })
  reviewReason: string | null;

  @Column({ type: 'boolean', default: false })
  selected: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Who voted — never what. No timestamp, no ballot reference. */
@Entity('budget_participations')
export class BudgetParticipationEntity {
  @PrimaryColumn({ type: 'uuid' })
  budgetId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  channel: 'online' | 'paper';
}

/**
 * Ballots cast while voting is open, sealed (AES-256-GCM, receipt hash inside): written in the
 * participation's transaction, so they share its xmin, but unreadable without the app's secret.
 * Emptied into budget_ballots, shuffled, in one transaction when voting closes.
 */
@Entity('budget_sealed_ballots')
@Index('budget_sealed_ballots_budget_idx', ['budgetId'])
@Index('budget_sealed_ballots_receipt_key', ['receiptLookup'], { unique: true })
export class BudgetSealedBallotEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  budgetId: string;

  @Column({ type: 'text' })
  sealed: string;

  /** Keyed hash of the receipt (SecretSeal.lookup of libs/common), to replace the ballot until the close. */
  @Column({ type: 'text' })
  receiptLookup: string;
}

/** Counted ballots: no user, no time, random ids, written all at once in random order. */
@Entity('budget_ballots')
@Index('budget_ballots_budget_idx', ['budgetId'])
export class BudgetBallotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  budgetId: string;

  @Column({ type: 'jsonb' })
  choice: { projects: string[]; points?: number[] };

  @Column({ type: 'text' })
  receiptHash: string;
}

/** A resident's draft, sealed like cast ballots (a draft says what someone means to vote). */
@Entity('budget_ballot_drafts')
export class BudgetBallotDraftEntity {
  @PrimaryColumn({ type: 'uuid' })
  budgetId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  sealed: string;
}

/** The stored, immutable outcome of a closed budget. */
@Entity('budget_results')
export class BudgetResultEntity {
  @PrimaryColumn({ type: 'uuid' })
  budgetId: string;

  @Column({ type: 'text' })
  inputsHash: string;

  @Column({ type: 'jsonb' })
  result: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export const BUDGET_ENTITIES = [
  BudgetEntity,
  BudgetProjectEntity,
  BudgetParticipationEntity,
  BudgetSealedBallotEntity,
  BudgetBallotEntity,
  BudgetBallotDraftEntity,
  BudgetResultEntity,
];
