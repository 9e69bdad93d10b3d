import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PANEL_STATUSES, PanelStatus } from '../panels/panel.entity';

/**
 * The panels API's answers as the OpenAPI document declares them, so clients (the web app) are
 * typed from the document and a changed answer breaks their build. Each class mirrors a view of
 * the library (toPanelView, toVolunteerView...); the controllers declare them as their return
 * types, so a view that drifts from its DTO fails the type check.
 */
export class PanelFeatureValueResponseDto {
  @ApiProperty({ example: '16-29' })
  code: string;

  @ApiProperty({ description: 'The label, or the code when none was given' })
  label: string;

  @ApiProperty({ description: 'Fewest seats for people with this value' })
  min: number;

  @ApiProperty({ description: 'Most seats for people with this value' })
  max: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: "The population's share with this value (census): the target of weighted survey results" })
  populationShare?: number | null;
}

export class PanelFeatureResponseDto {
  @ApiProperty({ example: 'age_band' })
  code: string;

  @ApiProperty()
  label: string;

  @ApiProperty({ type: [PanelFeatureValueResponseDto] })
  values: PanelFeatureValueResponseDto[];
}

export class PanelResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  purpose: string;

  @ApiProperty()
  size: number;

  @ApiProperty()
  termMonths: number;

  @ApiProperty({ description: 'At most one member per household' })
  householdRule: boolean;

  @ApiProperty({ type: [PanelFeatureResponseDto] })
  features: PanelFeatureResponseDto[];

  @ApiProperty()
  consentVersion: string;

  @ApiProperty()
  consentText: string;

  @ApiProperty({ enum: PANEL_STATUSES, enumName: 'PanelStatus' })
  status: PanelStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Published when the pool closes: the commitment the draw is checked against' })
  poolHash: string | null;

  @ApiProperty({ type: String, nullable: true })
  rulesHash: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  poolClosedAt: Date | null;

  @ApiProperty({ description: 'Days a drawn person has to answer' })
  confirmationDays: number;

  @ApiProperty({ description: 'Share of the seats redrawn when a term ends' })
  rotationShare: number;

  @ApiProperty({ description: '0 until the first term starts' })
  termNumber: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termStartedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termEndsAt: Date | null;

  @ApiProperty({ description: 'The term has ended: a rotation draw is due' })
  rotationDue: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class PanelPageDto {
  @ApiProperty({ type: [PanelResponseDto] })
  items: PanelResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

export class ContactPreferencesResponseDto {
  @ApiProperty()
  email: boolean;

  @ApiProperty()
  post: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  phone?: string | null;
}

export class VolunteerResponseDto {
  @ApiProperty({ format: 'uuid', description: "The volunteer profile's id: the person's id in the pool" })
  id: string;

  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'feature code → value code' })
  features: Record<string, string>;

  @ApiProperty({ type: String, nullable: true })
  address: string | null;

  @ApiProperty({ type: String, nullable: true })
  consentVersion: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  consentedAt: Date | null;

  @ApiProperty({ type: ContactPreferencesResponseDto, nullable: true })
  contact: ContactPreferencesResponseDto | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class RejectedRowResponseDto {
  @ApiProperty({ description: "The row's line in the file (the header is line 1)" })
  line: number;

  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;

  @ApiProperty({ type: [String], description: "Why, in the caller's language (Accept-Language)" })
  reasons: string[];
}

export class PoolImportReportDto {
  @ApiProperty()
  imported: number;

  @ApiProperty({ type: [RejectedRowResponseDto] })
  rejected: RejectedRowResponseDto[];
}
