import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { LocationDto } from '@app/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BALLOT_RULE_KINDS } from '../ballot-rules';
import { ADD1_VARIANTS, OUTCOME_RULES } from '../outcome';

export class LocalizedTextDto {
  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  fr: string;

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  en: string;
}

export class BallotRuleDto {
  @ApiProperty({ enum: BALLOT_RULE_KINDS })
  @IsIn(BALLOT_RULE_KINDS)
  kind: (typeof BALLOT_RULE_KINDS)[number];

  @ApiPropertyOptional({ description: 'approval: at most this many projects', minimum: 1, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  maxProjects?: number;

  @ApiPropertyOptional({ description: 'approval: at least this many projects (default 1)', minimum: 0, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(500)
  minProjects?: number;

  @ApiPropertyOptional({ description: "knapsack: the chosen projects must cost at least this share of the amount (Decidim's 70 %)", minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minSharePercent?: number;

  @ApiPropertyOptional({ description: 'cumulative: points to give in all', minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  points?: number;

  @ApiPropertyOptional({ description: 'cumulative: at most this many points per project', minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxPerProject?: number;

  @ApiPropertyOptional({ description: 'ordinal: rank exactly this many projects', minimum: 1, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  ranks?: number;

  @ApiPropertyOptional({ description: 'ordinal: points of the 1st, 2nd... rank (default ranks, ranks-1, ..., 1)', type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(1000, { each: true })
  scores?: number[];
}

export class DistrictAmountDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  districtId: string;

  @ApiProperty({ minimum: 1, maximum: 1e12 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  amount: number;

  @ApiPropertyOptional({ type: BallotRuleDto, description: "This district's own ballot rule; the budget's when left out" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BallotRuleDto)
  ballotRule?: BallotRuleDto;
}

export class BudgetEligibilityDto {
  @ApiPropertyOptional({ description: "A resident votes for town-wide projects or their own district's (their residency's district)" })
  @IsOptional()
  @IsBoolean()
  byDistrict?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 120, description: 'In calendar years from the year of birth the town records at verification' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minimumAge?: number;
}

export class CreateBudgetDto {
  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  title: LocalizedTextDto;

  @ApiProperty({ type: LocalizedTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  description: LocalizedTextDto;

  @ApiProperty({ description: 'Whole currency units', minimum: 1, maximum: 1e12, example: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  amount: number;

  @ApiProperty({ example: 'EUR' })
  @IsISO4217CurrencyCode()
  currency: string;

  @ApiPropertyOptional({ type: [DistrictAmountDto], description: "Per-district amounts (headings); `amount` is the town-wide heading's" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DistrictAmountDto)
  districtAmounts?: DistrictAmountDto[];

  @ApiProperty({ type: BallotRuleDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BallotRuleDto)
  ballotRule: BallotRuleDto;

  @ApiProperty({ enum: OUTCOME_RULES })
  @IsIn(OUTCOME_RULES)
  outcomeRule: (typeof OUTCOME_RULES)[number];

  @ApiPropertyOptional({ enum: ADD1_VARIANTS, description: 'equal-shares only; default until-exhaustive' })
  @IsOptional()
  @IsIn(ADD1_VARIANTS)
  add1?: (typeof ADD1_VARIANTS)[number];

  @ApiPropertyOptional({ type: BudgetEligibilityDto, description: 'Who may vote beyond verified residents of the town' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BudgetEligibilityDto)
  eligibility?: BudgetEligibilityDto;

  @ApiProperty({ format: 'date-time' })
  @IsDateString({ strict: true })
  proposingEndsAt: string;

  @ApiProperty({ format: 'date-time' })
  @IsDateString({ strict: true })
  reviewingEndsAt: string;

  @ApiProperty({ format: 'date-time' })
  @IsDateString({ strict: true })
  votingEndsAt: string;
}

/** PATCH: any field of the creation; what may still change depends on the phase (409 naming the field). */
export class UpdateBudgetDto extends PartialType(CreateBudgetDto) {}

export class ProposeProjectDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A district with its own amount in this budget' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ type: LocationDto, description: "Where the project would be; inside the municipality. Without districtId, the budget's heading for the district it is in (or town-wide)" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiProperty({ maxLength: 150 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  title: string;

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description: string;

  @ApiProperty({ description: 'Estimated cost, whole currency units', minimum: 1, maximum: 1e12 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  cost: number;
}

/** The proposer's changes while proposals are open and before review: any field of the proposal. */
export class UpdateProjectDto extends PartialType(ProposeProjectDto) {}

export class ImportProposalDto {
  @ApiProperty({ format: 'uuid', description: 'A proposal of this town that reached its support threshold' })
  @IsUUID()
  proposalId: string;

  @ApiProperty({ description: "The town's cost estimate, whole currency units", minimum: 1, maximum: 1e12 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  cost: number;
}

export class ReviewProjectDto {
  @ApiProperty({ enum: ['feasible', 'unfeasible', 'on_ballot'] })
  @IsIn(['feasible', 'unfeasible', 'on_ballot'])
  status: 'feasible' | 'unfeasible' | 'on_ballot';

  @ApiPropertyOptional({ maxLength: 2000, description: 'Told to the author (required for unfeasible)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Final cost', minimum: 1, maximum: 1e12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1e12)
  cost?: number;
}

export class BallotDto {
  @ApiProperty({ type: [String], description: 'Project ids; ordinal: most preferred first' })
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  projects: string[];

  @ApiPropertyOptional({ type: [Number], description: 'cumulative: points per project, same order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(1000, { each: true })
  points?: number[];
}

export class PaperBallotDto extends BallotDto {
  @ApiProperty({ format: 'uuid', description: 'The verified resident whose paper ballot this is' })
  @IsUUID()
  residentId: string;
}

export class ReplaceBallotDto extends BallotDto {
  @ApiProperty({ description: 'The receipt the ballot to replace was cast with' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  receipt: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "A district heading; the town-wide heading's file without it" })
  @IsOptional()
  @IsUUID()
  district?: string;
}
