import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  CreateFlagDto,
  FlagQueueQueryDto,
  FlagResponseDto,
  FlagsService,
  QueuedFlagPageDto,
  ResolveFlagDto,
  SubjectRef,
  toFlagResponse,
  toQueuedFlagResponse,
} from '@app/engagement';
import { ApiSubjectParams, Subject } from './subject.param';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('moderation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Post(':collection/:id/flags')
  @ApiOperation({
    summary: 'Flag content for moderation',
    description: 'Any signed-in person, once per subject. A comment is flagged as /api/v1/comments/{id}/flags.',
  })
  @ApiSubjectParams()
  @ApiCreatedResponse({ type: FlagResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (reason, note over 500 characters, unknown fields, bad id)' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND (unknown, or not public)' })
  @ApiConflictResponse({ description: 'ALREADY_FLAGGED' })
  async flag(
    @Subject() subject: SubjectRef,
    @Body() dto: CreateFlagDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<FlagResponseDto> {
    return toFlagResponse(await this.flags.flag(caller, subject, dto));
  }

  @Get('municipalities/:slug/flags')
  @ApiOperation({ summary: "A municipality's moderation queue, oldest first", description: 'Its staff and admins.' })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiOkResponse({ type: QueuedFlagPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (status, cursor, limit)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async queue(@Param('slug') slug: string, @Query() query: FlagQueueQueryDto, @CurrentUser() caller: AuthUser): Promise<QueuedFlagPageDto> {
    const page = await this.flags.queue(caller, slug, query);
    return { items: page.items.map(toQueuedFlagResponse), nextCursor: page.nextCursor };
  }

  @Post('flags/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Decide on a flag',
    description:
      'upheld takes the content out of public view (a comment is removed), dismissed leaves it; either closes every open flag on that content. Audited.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: FlagResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (decision, bad id)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or admin of the municipality' })
  @ApiNotFoundResponse({ description: 'FLAG_NOT_FOUND' })
  @ApiConflictResponse({ description: 'FLAG_ALREADY_RESOLVED' })
  @ApiUnprocessableEntityResponse({ description: 'SUBJECT_NOT_HIDEABLE' })
  async resolve(@UuidParam('id') id: string, @Body() dto: ResolveFlagDto, @CurrentUser() caller: AuthUser): Promise<FlagResponseDto> {
    return toFlagResponse(await this.flags.resolve(caller, id, dto.decision));
  }
}
