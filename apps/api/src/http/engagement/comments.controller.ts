import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  CommentChangesService,
  CommentHistoryResponseDto,
  CommentPageDto,
  CommentResponseDto,
  CommentsService,
  CreateCommentDto,
  EditCommentDto,
  EngagementPageQueryDto,
  SubjectRef,
  toCommentHistoryResponse,
  toCommentResponse,
} from '@app/engagement';
import { UuidParam } from '../../common/uuid-param';
import { ApiSubjectParams, Subject } from './subject.param';

@ApiTags('comments')
@Controller('api/v1')
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly changes: CommentChangesService,
  ) {}

  @Get(':collection/:id/comments')
  @Public()
  @ApiOperation({
    summary: 'Public comments on a subject, oldest first',
    description: "The municipality's staff and admins (with a token) also see comments moderation took out of view.",
  })
  @ApiSubjectParams()
  @ApiOkResponse({ type: CommentPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id, cursor or limit)' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND' })
  async list(
    @Subject() subject: SubjectRef,
    @Query() query: EngagementPageQueryDto,
    @CurrentUser() caller: AuthUser | undefined,
  ): Promise<CommentPageDto> {
    const page = await this.comments.list(subject, query, caller);
    return { items: page.items.map(toCommentResponse), nextCursor: page.nextCursor };
  }

  @Post(':collection/:id/comments')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Comment publicly on a subject', description: 'Shown with your display name, never your email.' })
  @ApiSubjectParams()
  @ApiCreatedResponse({ type: CommentResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (empty or over 2000 characters, unknown fields, bad id)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND (unknown, or not public)' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_REPLY: inReplyToId is not a shown comment of this thread' })
  async add(
    @Subject() subject: SubjectRef,
    @Body() dto: CreateCommentDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommentResponseDto> {
    return toCommentResponse(await this.comments.add(caller, subject, dto.body, { inReplyToId: dto.inReplyToId }));
  }

  @Patch('comments/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the text of my comment', description: 'It then shows `editedAt`; the previous text is kept for moderators.' })
  @ApiOkResponse({ type: CommentResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'NOT_COMMENT_AUTHOR' })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'COMMENT_NOT_EDITABLE: deleted, or taken out of view by moderation' })
  async edit(@UuidParam('id') id: string, @Body() dto: EditCommentDto, @CurrentUser() caller: AuthUser): Promise<CommentResponseDto> {
    return toCommentResponse(await this.changes.edit(caller, id, dto.body));
  }

  @Delete('comments/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete my comment', description: 'Replies to it keep a "deleted" placeholder to answer; idempotent.' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'NOT_COMMENT_AUTHOR' })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND' })
  async delete(@UuidParam('id') id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    await this.changes.delete(caller, id);
  }

  @Get('comments/:id/versions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A comment's earlier texts (edits, deletion); the municipality's staff and admins" })
  @ApiOkResponse({ type: CommentHistoryResponseDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND' })
  async history(@UuidParam('id') id: string, @CurrentUser() caller: AuthUser): Promise<CommentHistoryResponseDto> {
    return toCommentHistoryResponse(await this.changes.history(caller, id));
  }
}
