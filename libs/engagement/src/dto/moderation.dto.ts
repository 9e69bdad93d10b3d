import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { NO_CONTROL_CHARACTERS_EXCEPT_LINES } from '../keyset';
import {
  FLAG_THRESHOLD_MAX,
  HELD_WORD_MAX_LENGTH,
  HELD_WORDS_MAX,
  HOLD_FIRST_CONTRIBUTIONS_MAX,
  ModerationSettings,
} from '../moderation/moderation-settings.service';
import {
  MODERATION_KINDS,
  MODERATION_REASONS,
  MODERATION_STATUSES,
  ModerationKind,
  ModerationReason,
  ModerationStatus,
} from '../moderation/moderation.entities';
import { QueuedModerationItemView } from '../moderation/moderation-queue.service';
import { ModerationItemView } from '../moderation/moderation.service';
import { EngagementPageQueryDto } from './page.dto';

export const DECISION_REASON_MAX_LENGTH = 500;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class ModerationSettingsDto {
  @ApiProperty({ minimum: 1, maximum: FLAG_THRESHOLD_MAX, example: 3, description: 'Pending flags on one subject that hide it pending review.' })
  flagThreshold: number;

  @ApiProperty({ minimum: 0, maximum: HOLD_FIRST_CONTRIBUTIONS_MAX, example: 0, description: "Each person's first N contributions in the town are held for review (0: none)." })
  holdFirstContributions: number;

  @ApiProperty({ description: 'Hold every contribution for review.' })
  holdAll: boolean;

  @ApiProperty({ type: [String], description: 'Contributions containing one of these (accents and case ignored, whole words) are held.' })
  heldWords: string[];
}

export class UpdateModerationSettingsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: FLAG_THRESHOLD_MAX })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(FLAG_THRESHOLD_MAX)
  flagThreshold?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: HOLD_FIRST_CONTRIBUTIONS_MAX })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(HOLD_FIRST_CONTRIBUTIONS_MAX)
  holdFirstContributions?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  holdAll?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: HELD_WORDS_MAX,
    description: `Replaces the whole list; each entry a word or phrase of at most ${HELD_WORD_MAX_LENGTH} characters. Entries that differ only by accents or case are kept once.`,
    example: ['arnaque', 'gros mot'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(HELD_WORDS_MAX)
  @IsString({ each: true })
  @MaxLength(HELD_WORD_MAX_LENGTH, { each: true })
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { each: true, message: 'heldWords must not contain control characters' })
  heldWords?: string[];
}

export class ModerationQueueQueryDto extends EngagementPageQueryDto {
  @ApiPropertyOptional({ enum: MODERATION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(MODERATION_STATUSES)
  status?: ModerationStatus;

  @ApiPropertyOptional({ enum: MODERATION_KINDS, description: 'held: stopped by pre-moderation; flagged: hidden by flags' })
  @IsOptional()
  @IsIn(MODERATION_KINDS)
  kind?: ModerationKind;

  @ApiPropertyOptional({ enum: MODERATION_REASONS })
  @IsOptional()
  @IsIn(MODERATION_REASONS)
  reason?: ModerationReason;
}

export class ApproveModerationItemDto {
  @ApiPropertyOptional({ maxLength: DECISION_REASON_MAX_LENGTH, description: 'Told to the author; trimmed.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(DECISION_REASON_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { message: 'reason must not contain control characters' })
  reason?: string;
}

export class RejectModerationItemDto {
  @ApiProperty({ minLength: 1, maxLength: DECISION_REASON_MAX_LENGTH, description: 'Why it is not published; told to the author. Trimmed.', example: 'Personal attack' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DECISION_REASON_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { message: 'reason must not contain control characters' })
  reason: string;
}

export class ModerationAuthorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;
}

export class ModerationItemResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ example: 'comment' })
  subjectType: string;

  @ApiProperty({ type: String, nullable: true, example: 'comments' })
  collection: string | null;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who wrote the content (null after an erasure).' })
  authorId: string | null;

  @ApiProperty({ enum: MODERATION_KINDS })
  kind: ModerationKind;

  @ApiProperty({ enum: MODERATION_REASONS })
  reason: ModerationReason;

  @ApiProperty({ type: [String], description: "The town's listed words found in the text." })
  matchedWords: string[];

  @ApiProperty({ enum: MODERATION_STATUSES })
  status: ModerationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'What the moderator told the author.' })
  decisionReason: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  decidedById: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class QueuedModerationItemDto extends ModerationItemResponseDto {
  @ApiProperty({ type: ModerationAuthorDto, nullable: true })
  author: ModerationAuthorDto | null;

  @ApiProperty({ type: String, nullable: true, description: "What the content says, from its library (a comment's text)." })
  preview: string | null;

  @ApiProperty({ description: 'Flags still open on the content.' })
  openFlags: number;
}

export class ModerationQueuePageDto {
  @ApiProperty({ type: [QueuedModerationItemDto] })
  items: QueuedModerationItemDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export function toModerationSettingsResponse(s: ModerationSettings): ModerationSettingsDto {
  return { flagThreshold: s.flagThreshold, holdFirstContributions: s.holdFirstContributions, holdAll: s.holdAll, heldWords: [...s.heldWords] };
}

export function toModerationItemResponse(i: ModerationItemView): ModerationItemResponseDto {
  return {
    id: i.id,
    municipalityId: i.municipalityId,
    subjectType: i.subjectType,
    collection: i.collection,
    subjectId: i.subjectId,
    authorId: i.authorId,
    kind: i.kind,
    reason: i.reason,
    matchedWords: [...i.matchedWords],
    status: i.status,
    decisionReason: i.decisionReason,
    decidedById: i.decidedById,
    decidedAt: i.decidedAt,
    createdAt: i.createdAt,
  };
}

export function toQueuedModerationItemResponse(i: QueuedModerationItemView): QueuedModerationItemDto {
  return { ...toModerationItemResponse(i), author: i.author, preview: i.preview, openFlags: i.openFlags };
}
