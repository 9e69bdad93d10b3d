import { ApiProperty } from '@nestjs/swagger';
import { PANEL_STATUSES, PanelStatus } from '../panels/panel.entity';
import { MEMBER_STATUSES, MemberStatus } from '../members/panel-member.entity';

/** The answers of the member routes (seats, history, letters, terms, representativeness); see panel-response.dto.ts. */
export class PanelMemberResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty({ description: "The pool's id: the CSV's external id, or the volunteer profile id" })
  selectionId: string;

  @ApiProperty({ enum: MEMBER_STATUSES, enumName: 'PanelMemberStatus' })
  status: MemberStatus;

  @ApiProperty({ description: 'Whether an account holds the seat (a volunteer, or a letter’s code redeemed)' })
  hasAccount: boolean;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  features: Record<string, string>;

  @ApiProperty({ type: String, format: 'date-time', description: 'Without an answer by then, the seat goes to a replacement draw' })
  respondBy: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  selectedAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  confirmedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  activatedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt: Date | null;
}

export class PanelMemberPageDto {
  @ApiProperty({ type: [PanelMemberResponseDto] })
  items: PanelMemberResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export const MEMBER_CHANGE_REASONS = ['drawn', 'confirmed', 'declined', 'no_answer', 'term_started', 'joined_term', 'rotation', 'withdrew', 'account_erased'] as const;

export class MemberHistoryEntryDto {
  @ApiProperty({ enum: MEMBER_STATUSES, enumName: 'PanelMemberStatus', nullable: true, description: 'null for the draw that seated the member' })
  from: MemberStatus | null;

  @ApiProperty({ enum: MEMBER_STATUSES, enumName: 'PanelMemberStatus' })
  to: MemberStatus;

  @ApiProperty({ enum: MEMBER_CHANGE_REASONS, enumName: 'PanelMemberChangeReason' })
  reason: string;

  @ApiProperty({ description: 'A person (the member, an admin) made the change, not the clock or a draw' })
  byPerson: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  at: Date;
}

export class InvitationLetterDto {
  @ApiProperty({ format: 'uuid' })
  memberId: string;

  @ApiProperty({ description: "The CSV's external id: the town's mail merge finds the name and postal address by it" })
  externalId: string;

  @ApiProperty({ example: 'K7QH-3MZP-XW2D' })
  code: string;

  @ApiProperty({ type: String, format: 'date-time' })
  respondBy: Date;
}

export class PanelTermDto {
  @ApiProperty()
  termNumber: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termStartedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termEndsAt: Date | null;
}

export class RedrawOutcomeDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The draw's id; null when there was nothing to fill or no way to fill it" })
  selectionId: string | null;

  @ApiProperty()
  drawn: number;

  @ApiProperty()
  vacancies: number;
}

export class QuotaStandingDto {
  @ApiProperty()
  feature: string;

  @ApiProperty()
  value: string;

  @ApiProperty()
  min: number;

  @ApiProperty()
  max: number;

  @ApiProperty({ description: 'People in the pool with this value' })
  pool: number;

  @ApiProperty({ description: 'Seats held (selected, confirmed or active)' })
  seated: number;

  @ApiProperty()
  active: number;

  @ApiProperty()
  met: boolean;
}

export class ResponseRateDto {
  @ApiProperty()
  invited: number;

  @ApiProperty()
  accepted: number;

  @ApiProperty()
  declined: number;

  @ApiProperty()
  noAnswer: number;

  @ApiProperty()
  pending: number;

  @ApiProperty({ type: Number, nullable: true, description: 'accepted / answered; null while nobody has answered' })
  rate: number | null;
}

export class ValueResponseRateDto extends ResponseRateDto {
  @ApiProperty()
  feature: string;

  @ApiProperty()
  value: string;
}

export class RepresentativenessReportDto {
  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty()
  size: number;

  @ApiProperty()
  termNumber: number;

  @ApiProperty()
  seated: number;

  @ApiProperty()
  active: number;

  @ApiProperty({ type: [QuotaStandingDto] })
  quotas: QuotaStandingDto[];

  @ApiProperty({ type: [ValueResponseRateDto] })
  responseRates: ValueResponseRateDto[];

  @ApiProperty({ type: ResponseRateDto })
  overall: ResponseRateDto;
}

export class MySeatDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: MEMBER_STATUSES, enumName: 'PanelMemberStatus' })
  status: MemberStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  respondBy: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  activatedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt: Date | null;
}

export class MyPanelDto {
  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: PANEL_STATUSES, enumName: 'PanelStatus' })
  panelStatus: PanelStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When my volunteer profile was given; null without one' })
  volunteeredAt: Date | null;

  @ApiProperty({ type: MySeatDto, nullable: true, description: 'My latest seat on the panel, whatever its state; null if never drawn' })
  seat: MySeatDto | null;
}

export class MyPanelsDto {
  @ApiProperty({ type: [MyPanelDto] })
  items: MyPanelDto[];
}
