import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateTopicDto {
  @ApiProperty({ example: 'mobility', maxLength: 63, pattern: '^[a-z0-9][a-z0-9_-]*$' })
  @IsString()
  @MaxLength(63)
  @Matches(/^[a-z0-9][a-z0-9_-]*$/)
  code: string;

  @ApiProperty({ maxLength: 100, example: 'Mobilité' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameFr: string;

  @ApiProperty({ maxLength: 100, example: 'Mobility' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn: string;
}

export class UpdateTopicDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameFr?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn?: string;

  @ApiPropertyOptional({ description: 'An inactive topic takes no new proposals' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ParticipationSettingsDto {
  @ApiPropertyOptional({ description: 'Supporting needs a verified residency (default true)' })
  @IsOptional()
  @IsBoolean()
  residencyRequired?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000_000, description: 'Supports that make a proposal reach the threshold (default 100)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  supportThreshold?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Days a published proposal takes supports (default 90)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  supportPeriodDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Working days the town has to answer once the threshold is reached (default 30)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  answerDeadlineDays?: number;
}
