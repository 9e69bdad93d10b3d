import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_CLOSURES } from '../service-levels/calendar-settings';
import type { WeeklyHours } from '../service-levels/working-calendar';

const WEEKLY_HOURS_SCHEMA = {
  type: 'object',
  description: 'ISO weekday ("1" = Monday … "7" = Sunday) → ordered, non-overlapping ["HH:mm", "HH:mm"] periods; a missing day is closed',
  additionalProperties: { type: 'array', items: { type: 'array', items: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, minItems: 2, maxItems: 2 } },
  example: { '1': [['08:30', '12:00'], ['13:30', '17:30']], '5': [['08:30', '12:00']] },
} as const;

/** The working time deadlines are counted on; the periods are checked by the service (400 naming the day). */
export class TriageCalendarDto {
  @ApiProperty(WEEKLY_HOURS_SCHEMA)
  @IsObject()
  weeklyHours: WeeklyHours;

  @ApiProperty({ type: [String], description: 'Local closures on top of public holidays, "YYYY-MM-DD"', maxItems: MAX_CLOSURES })
  @IsArray()
  @ArrayMaxSize(MAX_CLOSURES)
  @IsString({ each: true })
  @MaxLength(10, { each: true })
  closures: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10, description: 'Subdivision for regional holidays, as date-holidays names it (FR: "57" for Moselle)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  region?: string | null;
}

export class TriageCalendarResponseDto {
  @ApiProperty(WEEKLY_HOURS_SCHEMA) weeklyHours: WeeklyHours;
  @ApiProperty({ type: [String] }) closures: string[];
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty({ description: "The municipality's time zone, in which the hours are read" }) timezone: string;
  @ApiProperty({ description: 'Country whose public holidays are skipped' }) countryCode: string;
  @ApiProperty({ description: 'True while the municipality uses the default office hours' }) isDefault: boolean;
}
