import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { CommentStatus } from '../comment.entity';
import type { CommentHistory } from '../comments/comment-changes.service';
import { COMMENT_MAX_LENGTH, CommentView } from '../comments/comments.service';
import { NO_CONTROL_CHARACTERS_EXCEPT_LINES } from '../keyset';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: COMMENT_MAX_LENGTH, description: 'Public text; trimmed.', example: 'Same here, the light has been out for a week.' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(COMMENT_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { message: 'body must not contain control characters' })
  body: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The comment of this same thread it answers; its author is told.' })
  @IsOptional()
  @IsUUID()
  inReplyToId?: string;
}

export class EditCommentDto {
  @ApiProperty({ minLength: 1, maxLength: COMMENT_MAX_LENGTH, description: 'The new text; trimmed. The previous one is kept for moderators.' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(COMMENT_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS_EXCEPT_LINES, { message: 'body must not contain control characters' })
  body: string;
}

export class CommentAuthorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;
}

export class CommentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'report', description: 'Type of what the comment is about.' })
  subjectType: string;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The comment of this thread it answers.' })
  inReplyToId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null when its author deleted it: a placeholder kept while replies to it are shown.' })
  body: string | null;

  @ApiProperty({
    enum: ['visible', 'held', 'hidden', 'removed'],
    description:
      "Always visible for the public; its author also sees it held (pre-moderation) or hidden (flags) while awaiting review; the town's staff see every status.",
  })
  status: CommentStatus;

  @ApiProperty({ description: 'Held by pre-moderation or hidden by flags, not decided yet: show it as "awaiting review" (author and staff only).' })
  awaitingReview: boolean;

  @ApiProperty({ type: CommentAuthorDto, nullable: true, description: 'Null when the author deleted their account, or this comment.' })
  author: CommentAuthorDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when its author changed the text: show it as "edited".' })
  editedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when its author deleted it.' })
  deletedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class CommentVersionDto {
  @ApiProperty({ description: 'A text the comment showed before' })
  body: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Since when it showed it' })
  writtenAt: Date;

  @ApiProperty({ type: String, format: 'date-time', description: 'When an edit or the deletion replaced it' })
  replacedAt: Date;

  @ApiProperty({ enum: ['edited', 'deleted'] })
  reason: 'edited' | 'deleted';
}

export class CommentHistoryResponseDto {
  @ApiProperty({ type: CommentResponseDto })
  comment: CommentResponseDto;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who wrote it (null after an erasure).' })
  authorId: string | null;

  @ApiProperty({ type: [CommentVersionDto], description: 'Oldest first; the current text is the comment’s own.' })
  versions: CommentVersionDto[];
}

export class CommentPageDto {
  @ApiProperty({ type: [CommentResponseDto] })
  items: CommentResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export function toCommentResponse(c: CommentView): CommentResponseDto {
  return {
    id: c.id,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    inReplyToId: c.inReplyToId,
    body: c.body,
    status: c.status,
    awaitingReview: c.awaitingReview,
    author: c.author ? { id: c.author.id, displayName: c.author.displayName } : null,
    editedAt: c.editedAt,
    deletedAt: c.deletedAt,
    createdAt: c.createdAt,
  };
}

export function toCommentHistoryResponse(h: CommentHistory): CommentHistoryResponseDto {
  return { comment: toCommentResponse(h.comment), authorId: h.authorId, versions: h.versions.map((v) => ({ ...v })) };
}
