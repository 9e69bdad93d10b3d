import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  CommentPageDto,
  CommentResponseDto,
  CommentsService,
  CreateCommentDto,
  EngagementPageQueryDto,
  SubjectRef,
  toCommentResponse,
} from '@app/engagement';
import { ApiSubjectParams, Subject } from './subject.param';

@ApiTags('comments')
@Controller('api/v1')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

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
  async add(
    @Subject() subject: SubjectRef,
    @Body() dto: CreateCommentDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommentResponseDto> {
    return toCommentResponse(await this.comments.add(caller, subject, dto.body));
  }
}
