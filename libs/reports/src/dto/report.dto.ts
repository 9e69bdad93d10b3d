import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { LocationDto } from '@app/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { REPORT_KINDS, REPORT_STATUSES, ReportKind, ReportStatus } from '../lifecycle/report-lifecycle';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Shared with every library that takes a place (libs/common). */
export { LocationDto };

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiProperty({ example: 'pothole', maxLength: 63 })
  @IsString()
  @MaxLength(63)
  categoryCode: string;

  @ApiProperty({ minLength: 3, maxLength: 5000, example: 'Deep pothole in front of number 12' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(5000)
  description: string;

  @ApiProperty({ type: LocationDto })
  @ValidateNested()
  @Type(() => LocationDto)
  location: LocationDto;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Answers to the category's attributes, by code" })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({
    default: false,
    description: "Show my name publicly beside this report. By default it is not shown (the town's staff always see it).",
  })
  @IsOptional()
  @IsBoolean()
  showName?: boolean;

  @ApiPropertyOptional({
    deprecated: true,
    description: 'Before showName: true hides the name. It can only hide: showing the name takes showName: true.',
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

/** Whether a filing shows its reporter's name publicly: only when they said so (privacy by default). */
export function showsReporterName(dto: Pick<CreateReportDto, 'showName' | 'anonymous'>): boolean {
  return dto.showName === true && dto.anonymous !== true;
}

const BBOX = /^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/;
const CSV_STATUSES = new RegExp(`^(${REPORT_STATUSES.join('|')})(,(${REPORT_STATUSES.join('|')}))*$`);

/** Keyset paging of report lists (pages of up to 200, for map clients and the triage board). */
export class ReportPageQueryDto {
  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ListReportsQueryDto extends ReportPageQueryDto {
  @ApiPropertyOptional({ description: 'One or more statuses, comma-separated', example: 'new,acknowledged' })
  @IsOptional()
  @Matches(CSV_STATUSES, { message: `status must be a comma-separated list of ${REPORT_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Category code' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  category?: string;

  @ApiPropertyOptional({ enum: REPORT_KINDS })
  @IsOptional()
  @IsIn(REPORT_KINDS)
  kind?: ReportKind;

  @ApiPropertyOptional({ description: 'minLng,minLat,maxLng,maxLat', example: '3.00,50.60,3.10,50.66' })
  @IsOptional()
  @Matches(BBOX, { message: 'bbox must be minLng,minLat,maxLng,maxLat' })
  bbox?: string;

  @ApiPropertyOptional({ description: 'Only reports created at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ enum: ['json', 'geojson'], description: 'Or send Accept: application/geo+json' })
  @IsOptional()
  @IsIn(['json', 'geojson'])
  format?: 'json' | 'geojson';
}

export class NearbyQueryDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 250, description: 'metres' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  radius?: number;

  @ApiPropertyOptional({ description: 'Category code' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  category?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class ReportLocationResponseDto {
  @ApiProperty({ example: 50.6292 }) lat: number;
  @ApiProperty({ example: 3.0573 }) lng: number;
}

export class ReportCategoryRefDto {
  @ApiProperty({ example: 'pothole' }) code: string;
  @ApiProperty({ description: 'Localized names', type: 'object', additionalProperties: { type: 'string' }, example: { fr: 'Nid de poule', en: 'Pothole' } }) name: Record<string, string>;
}

export class ReportPhotoRefDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty() thumbnailUrl: string;
}

export class ReportRefDto {
  @ApiProperty() id: string;
  @ApiProperty() number: string;
}

/** An answer per attribute code: text, a number, or the keys chosen in a list. */
const ATTRIBUTE_ANSWERS_SCHEMA: { type: 'object'; additionalProperties: SchemaObject; example: object } = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }] },
  example: { size: 'large', depth_cm: 12 },
};

export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'Camille Martin' }) name: string | null;
}

export class StaffReporterDto extends PersonRefDto {
  @ApiProperty({ example: 'camille@example.org' }) email: string;
}

export class ReportContactDto {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class ReportClaimDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ format: 'date-time' }) claimedAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

/** What only the municipality's staff see of a report (report-views.ts builds it). */
export class ReportStaffFieldsDto {
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: ReportContactDto, nullable: true, description: 'Contact given at filing (Open311, staff-assisted intake)' }) contact: ReportContactDto | null;
  @ApiProperty({ description: 'How it was filed', example: 'app' }) source: string;
  @ApiProperty({ example: 'normal' }) priority: string;
  @ApiProperty({ type: String, nullable: true, example: 'roads' }) department: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgeDueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolveDueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A staff override of resolveDueAt' }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ description: 'Taken out of public view by moderation' }) hidden: boolean;
  @ApiProperty({ type: StaffReporterDto, nullable: true }) reporter: StaffReporterDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) assignee: PersonRefDto | null;
  @ApiProperty({ type: ReportClaimDto, nullable: true, description: 'Who is working on it on the triage board right now' }) claimedBy: ReportClaimDto | null;
}

/** What anyone may see of a report. Staff fields appear only for that municipality's staff. */
export class ReportResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b6f3c2e-8a4d-4f7e-9c1b-2d3e4f5a6b7c' }) id: string;
  @ApiProperty({ description: 'Short public reference', example: 'LIL-2026-00042' }) number: string;
  @ApiProperty({ description: "The municipality's slug", example: 'lille' }) municipality: string;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ type: ReportCategoryRefDto }) category: ReportCategoryRefDto;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ nullable: true, type: String, example: null }) rejectReason: string | null;
  @ApiProperty({ nullable: true, type: ReportRefDto }) duplicateOf: ReportRefDto | null;
  @ApiProperty({ example: 'Deep pothole in front of number 12, a cyclist nearly fell' }) description: string;
  @ApiProperty({ type: ReportLocationResponseDto }) location: ReportLocationResponseDto;
  @ApiProperty({ nullable: true, type: String, example: '12 rue Nationale, Lille' }) address: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', example: '6b1f0c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b', description: 'The district containing the report when it was filed' }) districtId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null unless the reporter chose to show their name (showName)', example: null }) reporterName: string | null;
  @ApiProperty({ example: 3 }) supportCount: number;
  @ApiProperty({ example: 1 }) photoCount: number;
  @ApiProperty({ type: [ReportPhotoRefDto] }) photos: ReportPhotoRefDto[];
  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:15:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-21T14:02:00.000Z' }) updatedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-11-20T11:00:00.000Z' }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the city expects to have it resolved', example: '2026-11-27T17:00:00.000Z' }) expectedAt: string | null;
  @ApiProperty({ description: 'Whether the caller filed it', example: false }) isMine: boolean;
  @ApiProperty({ description: 'Whether the caller supports it', example: true }) supportedByMe: boolean;
  @ApiPropertyOptional({ ...ATTRIBUTE_ANSWERS_SCHEMA, description: "Answers to the category's attributes, by attribute code (reporter and staff only)" })
  attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ReportStaffFieldsDto, description: "Only for the municipality's staff" }) staff?: ReportStaffFieldsDto;
  @ApiProperty({ description: 'Changes with every edit; send it back as If-Match', example: 2 }) version: number;
}

export class ReportPageResponseDto {
  @ApiProperty({ type: [ReportResponseDto] }) items: ReportResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A GeoJSON Point (RFC 7946): longitude first. */
export class GeoJsonPointDto {
  @ApiProperty({ enum: ['Point'] }) type: 'Point';
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, description: '[longitude, latitude] (WGS 84)', example: [3.0573, 50.6292] }) coordinates: [number, number];
}

/** A report's view without its location, which became the feature's geometry. */
export class ReportFeaturePropertiesDto extends OmitType(ReportResponseDto, ['location'] as const) {}

export class ReportFeatureDto {
  @ApiProperty({ enum: ['Feature'] }) type: 'Feature';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: GeoJsonPointDto }) geometry: GeoJsonPointDto;
  @ApiProperty({ type: ReportFeaturePropertiesDto }) properties: ReportFeaturePropertiesDto;
}

/** The public list as GeoJSON (RFC 7946) for map clients, with the list's cursor as a foreign member. */
export class ReportFeatureCollectionDto {
  @ApiProperty({ enum: ['FeatureCollection'] }) type: 'FeatureCollection';
  @ApiProperty({ type: [ReportFeatureDto] }) features: ReportFeatureDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as cursor for the next page' }) nextCursor: string | null;
}

export class NearbyReportResponseDto extends ReportResponseDto {
  @ApiProperty({ description: 'Distance from the given point, metres' }) distance: number;
}

export class TimelineEntryResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
  @ApiProperty({ description: "'city' for staff actions, 'reporter', 'citizen', or 'system'" }) by: string;
  @ApiProperty({ nullable: true, type: String }) authorName: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Facts of the entry, by type: a rating for `confirmed`, the merged report for `merged`, the changed fields for `triaged`...',
    example: { rating: 4 },
  })
  data: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}
