import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { EMAIL_MAX_LENGTH, normalizeEmail } from '@app/identity';
import { PROPOSAL_LANGUAGES, PROPOSAL_STATUSES, ProposalLanguage, ProposalStatus } from '../lifecycle/proposal-lifecycle';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;

export class ProposalLocationDto {
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

export class CreateProposalDto {
  @ApiProperty({ minLength: 3, maxLength: TITLE_MAX, example: 'Des arceaux vélo devant la médiathèque' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(TITLE_MAX)
  title: string;

  @ApiProperty({ minLength: 10, maxLength: BODY_MAX, description: 'Markdown: paragraphs, emphasis, lists, links; anything else is stripped' })
  @IsString()
  @MinLength(10)
  @MaxLength(BODY_MAX)
  body: string;

  @ApiProperty({ format: 'uuid', description: 'One of the municipality’s active topics' })
  @IsUUID()
  topicId: string;

  @ApiPropertyOptional({ enum: PROPOSAL_LANGUAGES, description: 'Chooses the search stemmer; detected from the text when left out' })
  @IsOptional()
  @IsIn(PROPOSAL_LANGUAGES)
  language?: ProposalLanguage;

  @ApiPropertyOptional({ type: ProposalLocationDto, description: 'Inside the municipality; its district is derived' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProposalLocationDto)
  location?: ProposalLocationDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'A district of the municipality, for proposals without a point' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

/**
 * Every field optional. `location: null` takes the saved place off; the district it was in is
 * kept (the proposal is still about that quarter) unless `districtId` says otherwise — another
 * district, or null for none. With a place, the district is always the place's.
 */
export class UpdateProposalDto extends PartialType(OmitType(CreateProposalDto, ['location', 'districtId'] as const)) {
  @ApiPropertyOptional({ type: ProposalLocationDto, nullable: true, description: 'Inside the municipality (its district is derived); null takes the place off' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProposalLocationDto)
  location?: ProposalLocationDto | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'For a proposal without a place; null for no district' })
  @IsOptional()
  @IsUUID()
  districtId?: string | null;
}

export class WithdrawProposalDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class InviteCoauthorDto {
  @ApiProperty({ format: 'uuid', description: 'The account invited to co-sign' })
  @IsUUID()
  userId: string;
}

/** Inviting a co-author by address: only a verified resident of the proposal's town can be found. */
export class InviteCoauthorByEmailDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille@example.org', description: 'The exact address (case and surrounding spaces do not matter)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value))
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email: string;
}

export class SimilarQueryDto {
  @ApiProperty({ maxLength: TITLE_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(TITLE_MAX)
  title: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  body?: string;
}

export const PROPOSAL_SORTS = ['newest', 'most_supported', 'most_commented', 'random'] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

export class ListProposalsQueryDto {
  @ApiPropertyOptional({ enum: PROPOSAL_SORTS, default: 'newest' })
  @IsOptional()
  @IsIn(PROPOSAL_SORTS)
  sort?: ProposalSort;

  @ApiPropertyOptional({ description: 'random sort: the visitor’s seed (any text up to 64 characters); the same seed gives the same order', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  seed?: string;

  @ApiPropertyOptional({ description: 'Full-text search, French and English, accents ignored; ranked', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  topicId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES })
  @IsOptional()
  @IsIn(PROPOSAL_STATUSES)
  status?: ProposalStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  authorId?: string;

  @ApiPropertyOptional({ description: 'Only the proposals the caller supports (signed in)', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  supportedByMe?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(100)
  limit?: number;
}

/** A note from a workshop's live board made a draft proposal by its author. */
export class ProposalFromIdeaDto {
  @ApiProperty({ minLength: 3, maxLength: TITLE_MAX, example: 'Plus d’arbres sur la place du marché' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(TITLE_MAX)
  title: string;

  @ApiPropertyOptional({ minLength: 10, maxLength: BODY_MAX, description: 'Markdown; the note’s text when left out' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(BODY_MAX)
  body?: string;

  @ApiProperty({ format: 'uuid', description: 'One of the municipality’s active topics' })
  @IsUUID()
  topicId: string;
}

export class PromoteReportDto {
  @ApiProperty({ minLength: 3, maxLength: TITLE_MAX, description: 'The proposal’s title (the report’s description becomes its body)' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(TITLE_MAX)
  title: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  topicId: string;
}
