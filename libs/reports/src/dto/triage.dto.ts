import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { REPORT_PRIORITIES, ReportPriority } from '../categories/report-category.entity';
import { REJECT_REASONS, REPORT_STATUSES, RejectReason, ReportStatus } from '../lifecycle/report-lifecycle';
import { ReportPageQueryDto, ReportResponseDto } from './report.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Changes that apply to one report or, in bulk, to many. Omitted fields are left alone. */
export class TriageChangesDto {
  @ApiPropertyOptional({ enum: REPORT_STATUSES, description: 'New status; must be allowed from the current one for this kind' })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;

  @ApiPropertyOptional({ enum: REJECT_REASONS, description: 'Required with status "rejected"' })
  @IsOptional()
  @IsIn(REJECT_REASONS)
  reason?: RejectReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'The report this one duplicates (reason "duplicate")' })
  @IsOptional()
  @IsUUID()
  duplicateOfId?: string;

  @ApiPropertyOptional({ enum: REPORT_PRIORITIES })
  @IsOptional()
  @IsIn(REPORT_PRIORITIES)
  priority?: ReportPriority;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A staff member of the municipality; null unassigns' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  department?: string | null;
}

export class TriageReportDto extends TriageChangesDto {
  @ApiPropertyOptional({ maxLength: 63, description: 'Re-categorise; deadlines are recomputed' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  categoryCode?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Override the resolve-by deadline (ISO 8601); null removes the override' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string | null;

  @ApiPropertyOptional({ minimum: 1, description: 'The version you saw, if not sent as If-Match' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version?: number;
}

/** One report of a bulk change, with the version its sender saw (as a single triage carries it). */
export class BulkTriageItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ minimum: 1, description: 'The version you saw; a report changed since makes the lot 409 (STALE_VERSION for it)' })
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version: number;
}

export class BulkTriageDto {
  @ApiProperty({ type: [BulkTriageItemDto], minItems: 1, maxItems: 100, description: 'The reports, each with the version you saw; ids unique' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique((item: BulkTriageItemDto) => item?.id, { message: 'items must not repeat a report' })
  @ValidateNested({ each: true })
  @Type(() => BulkTriageItemDto)
  items: BulkTriageItemDto[];

  @ApiProperty({ type: TriageChangesDto })
  @ValidateNested()
  @Type(() => TriageChangesDto)
  changes: TriageChangesDto;
}

export class BulkTriageResponseDto {
  @ApiProperty({ type: [ReportResponseDto] }) items: ReportResponseDto[];
}

const ASSIGNEE = /^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const CSV_STATUSES = new RegExp(`^(${REPORT_STATUSES.join('|')})(,(${REPORT_STATUSES.join('|')}))*$`);
export const TRIAGE_SORTS = ['age', 'priority', 'due'] as const;
export type TriageSort = (typeof TRIAGE_SORTS)[number];

export class TriageQueueQueryDto extends ReportPageQueryDto {
  @ApiPropertyOptional({ description: 'Statuses, comma-separated; default the open ones (new, acknowledged, in_progress)' })
  @IsOptional()
  @MaxLength(200)
  @Matches(CSV_STATUSES, { message: `status must be a comma-separated list of ${REPORT_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Category code' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  category?: string;

  @ApiPropertyOptional({ description: '"me", "none" or a staff member\'s id' })
  @IsOptional()
  @Matches(ASSIGNEE, { message: 'assignee must be "me", "none" or a UUID' })
  assignee?: string;

  @ApiPropertyOptional({ enum: REPORT_PRIORITIES })
  @IsOptional()
  @IsIn(REPORT_PRIORITIES)
  priority?: ReportPriority;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only reports past (true) or within (false) their next deadline' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Text search over description and address, French and English, accents and case ignored (web-search syntax: "quoted phrase", -excluded, or); "#1042" or "1042" finds that number',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      '"mine" (default: your department in this municipality and reports without one; everything if you have none), "all", "none" (reports without a department) or a department name',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ enum: TRIAGE_SORTS, default: 'age', description: 'age: oldest first; priority: most urgent first, then oldest; due: nearest deadline first' })
  @IsOptional()
  @IsIn(TRIAGE_SORTS)
  sort?: TriageSort;
}

export class ReportUpdateDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  message: string;

  @ApiProperty({ enum: ['public', 'internal'], description: 'public: on the report for everyone (and told to the reporter); internal: staff only' })
  @IsIn(['public', 'internal'])
  visibility: 'public' | 'internal';
}

export class MergeReportDto {
  @ApiProperty({ format: 'uuid', description: 'The report this one duplicates' })
  @IsUUID()
  intoId: string;

  @ApiPropertyOptional({ minimum: 1, description: 'The version of the duplicate you saw, if not sent as If-Match (one of them is required)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'The version of the report merged into you saw; checked when given' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  intoVersion?: number;
}

export class MergeResultResponseDto {
  @ApiProperty({ type: ReportResponseDto, description: 'The duplicate, now rejected' }) source: ReportResponseDto;
  @ApiProperty({ type: ReportResponseDto, description: 'The report it was merged into' }) target: ReportResponseDto;
}

export class ReopenReportDto {
  @ApiProperty({ minLength: 3, maxLength: 2000, description: 'What is still wrong' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

export class ConfirmReportDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How well the city answered' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
