import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** Feature codes head CSV columns: letters, digits, _ and -. Value codes are free text without control characters. */
export const FEATURE_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,49}$/;
export const VALUE_CODE = /^[^\p{Cc}]{1,100}$/u;
export const MAX_PANEL_SIZE = 1000;

export class PanelFeatureValueDto {
  @ApiProperty({ example: '16-29', maxLength: 100 })
  @IsString()
  @Matches(VALUE_CODE)
  code: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiProperty({ minimum: 0, maximum: MAX_PANEL_SIZE, description: 'Fewest seats for people with this value' })
  @IsInt()
  @Min(0)
  @Max(MAX_PANEL_SIZE)
  min: number;

  @ApiProperty({ minimum: 0, maximum: MAX_PANEL_SIZE, description: 'Most seats for people with this value' })
  @IsInt()
  @Min(0)
  @Max(MAX_PANEL_SIZE)
  max: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Share of the population with this value (census): the target of post-stratification weights' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  populationShare?: number;
}

export class PanelFeatureDto {
  @ApiProperty({ example: 'age_band', pattern: FEATURE_CODE.source })
  @IsString()
  @Matches(FEATURE_CODE)
  code: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiProperty({ type: [PanelFeatureValueDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PanelFeatureValueDto)
  values: PanelFeatureValueDto[];
}

export class CreatePanelDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  purpose?: string;

  @ApiProperty({ minimum: 1, maximum: MAX_PANEL_SIZE })
  @IsInt()
  @Min(1)
  @Max(MAX_PANEL_SIZE)
  size: number;

  @ApiProperty({ minimum: 1, maximum: 120 })
  @IsInt()
  @Min(1)
  @Max(120)
  termMonths: number;

  @ApiPropertyOptional({ default: true, description: 'At most one member per household (address)' })
  @IsOptional()
  @IsBoolean()
  householdRule?: boolean;

  @ApiProperty({ type: [PanelFeatureDto], minItems: 1, maxItems: 12 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => PanelFeatureDto)
  features: PanelFeatureDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 14, description: 'Days a drawn person has to confirm before a replacement is drawn' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  confirmationDays?: number;

  @ApiPropertyOptional({ minimum: 0.01, maximum: 1, default: 0.5, description: 'Share of the seats redrawn when a term ends' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  rotationShare?: number;

  @ApiProperty({ example: '2026-01', maxLength: 50 })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,50}$/)
  consentVersion: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  consentText: string;
}

/** Any of the fields; rules (size, features, household rule) only while the pool is open. */
export class UpdatePanelDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  purpose?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PANEL_SIZE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PANEL_SIZE)
  size?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  termMonths?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  householdRule?: boolean;

  @ApiPropertyOptional({ type: [PanelFeatureDto], maxItems: 12 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => PanelFeatureDto)
  features?: PanelFeatureDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 14, description: 'Days a drawn person has to confirm before a replacement is drawn' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  confirmationDays?: number;

  @ApiPropertyOptional({ minimum: 0.01, maximum: 1, default: 0.5, description: 'Share of the seats redrawn when a term ends' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  rotationShare?: number;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,50}$/)
  consentVersion?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  consentText?: string;
}

export class DrawPanelDto {
  @ApiProperty({ description: 'Revealed after the pool hash was published (e.g. dice thrown in public)', example: '3-6-1-4-4-2', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seed: string;
}
