import { Controller, Delete, Get, HttpCode, HttpStatus, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { EngagementPageQueryDto, FollowPageDto, FollowsService, FollowStateDto, SubjectRef, toFollowResponse } from '@app/engagement';
import { ApiSubjectParams, Subject } from './subject.param';

@ApiTags('follows')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Get('me/follows')
  @ApiOperation({ summary: 'What you follow, most recent first' })
  @ApiOkResponse({ type: FollowPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad cursor or limit)' })
  async mine(@CurrentUser() caller: AuthUser, @Query() query: EngagementPageQueryDto): Promise<FollowPageDto> {
    const page = await this.follows.listForUser(caller.id, query);
    return { items: page.items.map(toFollowResponse), nextCursor: page.nextCursor };
  }

  @Get(':collection/:id/follow')
  @ApiOperation({ summary: 'Whether you follow a subject' })
  @ApiSubjectParams()
  @ApiOkResponse({ type: FollowStateDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id)' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND (unknown collection)' })
  async state(
    @Subject() subject: SubjectRef,
    @CurrentUser() caller: AuthUser,
  ): Promise<FollowStateDto> {
    return { following: await this.follows.isFollowing(caller.id, subject) };
  }

  @Put(':collection/:id/follow')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Follow a subject', description: 'Idempotent: following twice is following once.' })
  @ApiSubjectParams()
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id)' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND (unknown, or not public)' })
  follow(
    @Subject() subject: SubjectRef,
    @CurrentUser() caller: AuthUser,
  ): Promise<void> {
    return this.follows.follow(caller.id, subject);
  }

  @Delete(':collection/:id/follow')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop following a subject', description: 'Idempotent.' })
  @ApiSubjectParams()
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id)' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND (unknown collection)' })
  unfollow(
    @Subject() subject: SubjectRef,
    @CurrentUser() caller: AuthUser,
  ): Promise<void> {
    return this.follows.unfollow(caller.id, subject);
  }
}
