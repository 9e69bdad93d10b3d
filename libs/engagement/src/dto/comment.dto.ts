import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { CommentStatus } from '../comment.entity';
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

  @ApiProperty()
  body: string;

  @ApiProperty({
    enum: ['visible', 'hidden', 'removed'],
    description: 'Always visible for the public; moderators also see what moderation took out of view.',
  })
  status: CommentStatus;

  @ApiProperty({ type: CommentAuthorDto, nullable: true, description: 'Null when the author deleted their account.' })
  author: CommentAuthorDto | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
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
    body: c.body,
    status: c.status,
    author: c.author ? { id: c.author.id, displayName: c.author.displayName } : null,
    createdAt: c.createdAt,
  };
}
