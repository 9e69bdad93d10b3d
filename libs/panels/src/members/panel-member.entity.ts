import { Column, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

export const MEMBER_STATUSES = ['selected', 'confirmed', 'active', 'declined', 'expired', 'rotated_out', 'withdrawn'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * A person drawn for a panel, from the draw on: invited, then confirmed, active for the term,
 * until rotated out or withdrawn (or declined / not answering in time: replaced). Feature values
 * and the hashed household key are copied from the pool snapshot, so the panel's make-up and the
 * household rule of replacement draws hold even after a volunteer's profile is erased.
 */
@Entity('panel_members')
@Unique(['panelId', 'selectionId'])
@Index('panel_members_panel_status', ['panelId', 'status'])
@Index('panel_members_active_users', ['panelId', 'userId'], { where: `"status" = 'active' AND "user_id" IS NOT NULL` })
@Index('panel_members_user', ['userId'], { where: '"user_id" IS NOT NULL' })
@Index('panel_members_invitation_code', ['invitationCode'], { unique: true, where: '"invitation_code" IS NOT NULL' })
export class PanelMemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  panelId: string;

  /** The pool's selection id: the CSV's external id, or the volunteer profile id. */
  @Column({ type: 'text' })
  selectionId: string;

  /** The draw (first, replacement or rotation) that selected this person. */
  @Column({ type: 'uuid' })
  drawId: string;

  /** The account: the volunteer's, or the one that redeemed the letter's code; null until then. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'jsonb' })
  features: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  household: string | null;

  @Column({ type: 'text' })
  status: MemberStatus;

  /** Printed on the letter to an imported resident; cleared once redeemed or the invitation ends. */
  @Column({ type: 'text', nullable: true, select: false })
  invitationCode: string | null;

  @Column({ type: 'timestamptz' })
  respondBy: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  selectedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Every change of a member's status: who, when, why. */
@Entity('panel_member_history')
@Index('panel_member_history_member', ['memberId', 'id'])
@Index('panel_member_history_panel', ['panelId', 'id'])
export class PanelMemberHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @Column({ type: 'uuid' })
  panelId: string;

  @Column({ type: 'text', nullable: true })
  fromStatus: MemberStatus | null;

  @Column({ type: 'text' })
  toStatus: MemberStatus;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
