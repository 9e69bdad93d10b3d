import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { ModerationDecision } from '../engagement.events';
import { FLAG_REASONS, FlagReason, FlagStatus } from '../flag.entity';
import { FLAG_NOTE_MAX_LENGTH, FLAG_STATUSES, FlagView, MODERATION_DECISIONS, QueuedFlagView } from '../flags/flags.service';
import { NO_CONTROL_CHARACTERS_EXCEPT_LINES } from '../keyset';
import { EngagementPageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateFlagDto {
  @ApiProperty({ enum: FLAG_REASONS, example: 'abusive' })
  @IsIn(FLAG_REASONS)
  reason: FlagReason;

  @ApiPropertyOptional({ maxLength: FLAG_NOTE_MAX_LENGTH, description: 'What the moderators should know; trimmed.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(FLAG_NOTE_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { message: 'note must not contain control characters' })
  note?: string;
}

export class ResolveFlagDto {
  @ApiProperty({
    enum: MODERATION_DECISIONS,
    description: 'upheld takes the content out of public view (a comment is removed); dismissed leaves it. Either closes every open flag on it.',
  })
  @IsIn(MODERATION_DECISIONS)
  decision: ModerationDecision;
}

export class FlagQueueQueryDto extends EngagementPageQueryDto {
  @ApiPropertyOptional({ enum: FLAG_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(FLAG_STATUSES)
  status?: FlagStatus;
}

export class FlagResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'comment' })
  subjectType: string;

  @ApiProperty({ type: String, nullable: true, example: 'comments' })
  collection: string | null;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ enum: FLAG_REASONS })
  reason: FlagReason;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ enum: FLAG_STATUSES })
  status: FlagStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  resolvedById: string | null;
}

export class QueuedFlagResponseDto extends FlagResponseDto {
  @ApiProperty({ type: String, nullable: true, description: 'For a flagged comment, its text (first 500 characters).' })
  preview: string | null;
}

export class QueuedFlagPageDto {
  @ApiProperty({ type: [QueuedFlagResponseDto] })
  items: QueuedFlagResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export function toFlagResponse(f: FlagView): FlagResponseDto {
  return {
    id: f.id,
    subjectType: f.subjectType,
    collection: f.collection,
    subjectId: f.subjectId,
    municipalityId: f.municipalityId,
    reason: f.reason,
    note: f.note,
    status: f.status,
    createdAt: f.createdAt,
    resolvedAt: f.resolvedAt,
    resolvedById: f.resolvedById,
  };
}

export function toQueuedFlagResponse(f: QueuedFlagView): QueuedFlagResponseDto {
  return { ...toFlagResponse(f), preview: f.preview };
}
