import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { QUESTION_TYPES, QuestionType, SCALES, ScaleKind } from '../questions';

const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export class QuestionOptionDto {
  @ApiProperty({ pattern: CODE.source })
  @Matches(CODE)
  code: string;

  @ApiProperty({ maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  label: string;
}

export class DisplayConditionDto {
  @ApiProperty({ description: 'id of an earlier single or multiple choice question', pattern: CODE.source })
  @Matches(CODE)
  question: string;

  @ApiProperty({ type: [String], description: 'shown when that answer holds any of these option codes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(CODE, { each: true })
  anyOf: string[];
}

export class QuestionDto {
  @ApiProperty({ pattern: CODE.source })
  @Matches(CODE)
  id: string;

  @ApiProperty({ enum: QUESTION_TYPES })
  @IsIn(QUESTION_TYPES)
  type: QuestionType;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  label: string;

  @ApiProperty()
  @IsBoolean()
  required: boolean;

  @ApiPropertyOptional({ type: [QuestionOptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionOptionDto)
  options?: QuestionOptionDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  min?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  max?: number;

  @ApiPropertyOptional({ enum: SCALES })
  @IsOptional()
  @IsIn(SCALES)
  scale?: ScaleKind;

  @ApiPropertyOptional({ type: DisplayConditionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DisplayConditionDto)
  showIf?: DisplayConditionDto;
}

export class SurveyAudienceDto {
  @ApiProperty({ enum: ['panel', 'residents'] })
  @IsIn(['panel', 'residents'])
  kind: 'panel' | 'residents';

  @ApiPropertyOptional({ description: 'panel: its id' })
  @IsOptional()
  @IsUUID()
  panelId?: string;

  @ApiPropertyOptional({ description: 'residents: only those of this district' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class CreateSurveyDto {
  @ApiProperty({ maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];

  @ApiProperty({ type: SurveyAudienceDto })
  @ValidateNested()
  @Type(() => SurveyAudienceDto)
  audience: SurveyAudienceDto;

  @ApiProperty({ description: 'Anonymous answers: decided here, shown to respondents, never changed' })
  @IsBoolean()
  anonymous: boolean;

  @ApiPropertyOptional({ description: 'Results readable by anyone once the survey has closed' })
  @IsOptional()
  @IsBoolean()
  resultsPublic?: boolean;

  @ApiProperty({ format: 'date-time' })
  @IsDateString()
  opensAt: string;

  @ApiProperty({ format: 'date-time' })
  @IsDateString()
  closesAt: string;

  @ApiPropertyOptional({ description: 'Remind those who have not answered this many days before the close', minimum: 1, maximum: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  reminderDaysBefore?: number;
}

export class HomeLocationDto {
  @ApiProperty()
  @IsLongitude()
  lng: number;

  @ApiProperty()
  @IsLatitude()
  lat: number;
}

export class SaveResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'question id → answer: an option code (single choice), option codes (multiple choice; ranking, most preferred first), a whole number (scale), a text',
  })
  @IsObject()
  answers: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Submit: every shown required question must be answered' })
  @IsOptional()
  @IsBoolean()
  submit?: boolean;

  @ApiPropertyOptional({ type: HomeLocationDto, description: 'District surveys, first save: where you live (checked, not stored)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => HomeLocationDto)
  home?: HomeLocationDto;
}

export class SurveyResultsQueryDto {
  @ApiPropertyOptional({ description: 'Cross-tab by this panel feature', pattern: CODE.source })
  @IsOptional()
  @Matches(CODE)
  by?: string;

  @ApiPropertyOptional({ description: "Weight by this panel feature's quotas (post-stratification)", pattern: CODE.source })
  @IsOptional()
  @Matches(CODE)
  weightBy?: string;
}
