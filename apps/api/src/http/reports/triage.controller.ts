import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  BulkTriageDto,
  BulkTriageResponseDto,
  ConfirmReportDto,
  etagOf,
  MergeReportDto,
  MergeResultResponseDto,
  MergeService,
  ReopenReportDto,
  ReportPageResponseDto,
  ReportResponseDto,
  ReportUpdateDto,
  ResolutionService,
  TimelineEntryResponseDto,
  TriageQueueQueryDto,
  TriageQueueService,
  TriageReportDto,
  TriageService,
} from '@app/reports';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('triage')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class TriageController {
  constructor(
    private readonly triageService: TriageService,
    private readonly queue: TriageQueueService,
    private readonly merges: MergeService,
    private readonly resolution: ResolutionService,
  ) {}

  @Patch('reports/:id/triage')
  @ApiOperation({ summary: "Triage a report (status, priority, assignee, department, category, deadline); the municipality's staff" })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you saw ("3"); or send `version` in the body. One of them is required.' })
  @ApiOkResponse({ type: ReportResponseDto, description: 'The staff view; the ETag header carries the new version' })
  @ApiBadRequestResponse({ description: 'Invalid fields, nothing to change, or no version given (VERSION_REQUIRED)' })
  @ApiForbiddenResponse({ description: 'Not staff of this municipality' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'STALE_VERSION (someone changed it since), or ILLEGAL_TRANSITION with the allowed statuses in meta' })
  @ApiUnprocessableEntityResponse({ description: 'Assignee not staff here, unknown category, or invalid duplicate' })
  async triage(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: TriageReportDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const view = await this.triageService.triage(user, id, dto, ifMatch);
    res.header('ETag', etagOf(Number(view.version)));
    return view;
  }

  @Get('municipalities/:slug/triage')
  @ApiOperation({ summary: 'The triage queue: open reports by default, filtered and sorted, keyset-paginated; staff only' })
  @ApiOkResponse({ type: ReportPageResponseDto })
  @ApiForbiddenResponse()
  list(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: TriageQueueQueryDto) {
    return this.queue.list(user, slug, query);
  }

  @Post('municipalities/:slug/triage/bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same changes to up to 100 reports, each with the version you saw; all or nothing' })
  @ApiOkResponse({ type: BulkTriageResponseDto })
  @ApiForbiddenResponse()
  @ApiConflictResponse({ description: 'BULK_TRIAGE_REFUSED: nothing changed; a report changed since you saw it (STALE_VERSION in meta.failures)' })
  @ApiUnprocessableEntityResponse({ description: 'BULK_TRIAGE_REFUSED: nothing changed; meta.failures names each failing report and why' })
  bulk(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: BulkTriageDto) {
    return this.triageService.bulk(user, slug, dto);
  }

  @Post('reports/:id/updates')
  @ApiOperation({ summary: "Post the city's update on a report: public (the reporter is told) or internal" })
  @ApiCreatedResponse({ type: TimelineEntryResponseDto })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  postUpdate(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: ReportUpdateDto) {
    return this.triageService.postUpdate(user, id, dto);
  }

  @Post('reports/:id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge a duplicate into the report it duplicates: supporters, reporter and photos join the target' })
  @ApiOkResponse({ type: MergeResultResponseDto })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version of the duplicate you saw ("3"); or send `version` in the body. One of them is required.' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or no version given (VERSION_REQUIRED)' })
  @ApiConflictResponse({ description: 'STALE_VERSION (either report changed since), the duplicate is no longer open (ILLEGAL_TRANSITION) or the target is closed (MERGE_TARGET_CLOSED)' })
  @ApiUnprocessableEntityResponse({ description: 'Into itself, into another municipality, or into a report that does not exist' })
  merge(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: MergeReportDto, @Headers('if-match') ifMatch: string | undefined) {
    return this.merges.merge(user, id, dto, ifMatch);
  }

  @Post('reports/:id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: `The reporter says a resolved report is not fixed (within 30 days): back to in progress` })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiForbiddenResponse({ description: 'Not the reporter' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: not resolved, or resolved more than 30 days ago' })
  reopen(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: ReopenReportDto) {
    return this.resolution.reopen(user, id, dto);
  }

  @Post('reports/:id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'The reporter confirms a resolved report is fixed and rates the answer: closed' })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiForbiddenResponse({ description: 'Not the reporter' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: not resolved' })
  confirm(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: ConfirmReportDto) {
    return this.resolution.confirm(user, id, dto);
  }
}
