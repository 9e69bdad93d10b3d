import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

export class LocationDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 50.6292 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 3.0573 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;
}

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
  @ApiProperty() lat: number;
  @ApiProperty() lng: number;
}

export class ReportCategoryRefDto {
  @ApiProperty() code: string;
  @ApiProperty({ description: 'Localized names', type: 'object', additionalProperties: { type: 'string' } }) name: Record<string, string>;
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

/** What anyone may see of a report. Staff fields appear only for that municipality's staff. */
export class ReportResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Short public reference' }) number: string;
  @ApiProperty() municipality: string;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ type: ReportCategoryRefDto }) category: ReportCategoryRefDto;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ nullable: true, type: String }) rejectReason: string | null;
  @ApiProperty({ nullable: true, type: ReportRefDto }) duplicateOf: ReportRefDto | null;
  @ApiProperty() description: string;
  @ApiProperty({ type: ReportLocationResponseDto }) location: ReportLocationResponseDto;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null unless the reporter chose to show their name (showName)' }) reporterName: string | null;
  @ApiProperty() supportCount: number;
  @ApiProperty() photoCount: number;
  @ApiProperty({ type: [ReportPhotoRefDto] }) photos: ReportPhotoRefDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the city expects to have it resolved' }) expectedAt: string | null;
  @ApiProperty({ description: 'Whether the caller filed it' }) isMine: boolean;
  @ApiProperty({ description: 'Whether the caller supports it' }) supportedByMe: boolean;
  @ApiPropertyOptional({ description: "Answers to the category's attributes (reporter and staff only)" }) attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Staff only' }) staff?: Record<string, unknown>;
  @ApiProperty() version: number;
}

export class ReportPageResponseDto {
  @ApiProperty({ type: [ReportResponseDto] }) items: ReportResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
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
  @ApiProperty() data: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}
