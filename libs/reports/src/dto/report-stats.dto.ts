import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches, MaxLength } from 'class-validator';
import { REPORT_STATUSES } from '../lifecycle/report-lifecycle';

const CSV_STATUSES = new RegExp(`^(${REPORT_STATUSES.join('|')})(,(${REPORT_STATUSES.join('|')}))*$`);

export class StatsQueryDto {
  @ApiPropertyOptional({ description: 'Reports created at or after (ISO 8601); default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Reports created before (ISO 8601); default now. At most 731 days after `from`.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ExportQueryDto extends StatsQueryDto {
  @ApiPropertyOptional({ description: 'Statuses, comma-separated; default all' })
  @IsOptional()
  @MaxLength(200)
  @Matches(CSV_STATUSES, { message: `status must be a comma-separated list of ${REPORT_STATUSES.join(', ')}` })
  status?: string;
}

export class ReportStatsResponseDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ description: 'Reports created in [from, to)' }) total: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Every status, zero included' }) byStatus: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'By category code' }) byCategory: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'problem, suggestion, compliment' }) byKind: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'By channel, every one zero included: app, open311 (self-filed); phone, counter, mail, third_place (filed by staff for someone)',
  })
  byChannel: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number, description: 'Median seconds from filing to acknowledgement, over those acknowledged' })
  medianSecondsToAcknowledge: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Median seconds from filing to resolution, over those resolved' })
  medianSecondsToResolve: number | null;
  @ApiProperty() acknowledgedCount: number;
  @ApiProperty() resolvedCount: number;
}
