import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, PageQueryDto, Public } from '@app/common';
import {
  CreateReportDto,
  EditReportDto,
  ListReportsQueryDto,
  NearbyQueryDto,
  NearbyReportResponseDto,
  ReportFeatureCollectionDto,
  ReportPageResponseDto,
  ReporterChangesService,
  ReportResponseDto,
  ReportsService,
  TimelineEntryResponseDto,
  toFeatureCollection,
  WithdrawReportDto,
} from '@app/reports';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('reports')
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly reporterChanges: ReporterChangesService,
  ) {}

  @Post('municipalities/:slug/reports')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Report a problem, a suggestion or a compliment' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe key (8-128 chars): a retry returns the same report' })
  @ApiCreatedResponse({ type: ReportResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'Attributes invalid, category inactive, or location outside the municipality (names the one containing it)' })
  async create(
    @CurrentUser() user: AuthUser,
    @Param('slug') slug: string,
    @Body() dto: CreateReportDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { report, created } = await this.reports.create(user, slug, dto, idempotencyKey);
    if (!created) res.header('Idempotent-Replayed', 'true');
    return report;
  }

  @Get('municipalities/:slug/reports')
  @Public()
  @ApiOperation({ summary: 'Public list, newest first; GeoJSON with Accept: application/geo+json or format=geojson' })
  @ApiExtraModels(ReportPageResponseDto, ReportFeatureCollectionDto)
  @ApiOkResponse({
    description: 'A page of reports, or with format=geojson (or Accept: application/geo+json) a GeoJSON FeatureCollection',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportPageResponseDto) } },
      'application/geo+json': { schema: { $ref: getSchemaPath(ReportFeatureCollectionDto) } },
    },
  })
  async list(
    @CurrentUser() user: AuthUser | undefined,
    @Param('slug') slug: string,
    @Query() query: ListReportsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const page = await this.reports.list(user, slug, query);
    if (query.format === 'geojson' || (query.format === undefined && (req.headers.accept ?? '').includes('application/geo+json'))) {
      res.type('application/geo+json');
      const { items, nextCursor } = page.value();
      return toFeatureCollection(items, nextCursor);
    }
    return page;
  }

  @Get('municipalities/:slug/reports/nearby')
  @Public()
  @ApiOperation({ summary: 'Is it already reported? Open reports near a point, nearest first' })
  @ApiOkResponse({ type: [NearbyReportResponseDto] })
  nearby(@CurrentUser() user: AuthUser | undefined, @Param('slug') slug: string, @Query() query: NearbyQueryDto) {
    return this.reports.nearby(user, slug, query);
  }

  @Get('me/reports')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My reports with their status' })
  @ApiOkResponse({ type: ReportPageResponseDto })
  mine(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.reports.mine(user, query);
  }

  @Get('reports/:id')
  @Public()
  @ApiOperation({ summary: 'One report (staff of its municipality also see staff fields)' })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiNotFoundResponse()
  get(@CurrentUser() user: AuthUser | undefined, @UuidParam('id') id: string) {
    return this.reports.get(user, id);
  }

  @Patch('reports/:id')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The reporter corrects the description while the report is new',
    description: "The previous text stays for the municipality's staff (an internal timeline line `description_edited`) and in the audit log.",
  })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiForbiddenResponse({ description: 'NOT_REPORTER' })
  @ApiNotFoundResponse({ description: 'REPORT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'REPORT_NOT_EDITABLE: no longer new (details.status)' })
  edit(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: EditReportDto) {
    return this.reporterChanges.editDescription(user, id, dto);
  }

  @Post('reports/:id/withdraw')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The reporter takes the report back while it is new: status withdrawn' })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiForbiddenResponse({ description: 'NOT_REPORTER' })
  @ApiNotFoundResponse({ description: 'REPORT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: no longer new (details.from)' })
  withdraw(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: WithdrawReportDto) {
    return this.reporterChanges.withdraw(user, id, dto);
  }

  @Get('reports/:id/timeline')
  @Public()
  @ApiOperation({ summary: "A report's public updates and status changes (staff also see internal ones)" })
  @ApiOkResponse({ type: [TimelineEntryResponseDto] })
  @ApiNotFoundResponse()
  timeline(@CurrentUser() user: AuthUser | undefined, @UuidParam('id') id: string) {
    return this.reports.timeline(user, id);
  }

  @Post('reports/:id/support')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '"Me too": support a report instead of filing a duplicate (idempotent)' })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  support(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.reports.support(user, id);
  }

  @Delete('reports/:id/support')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Withdraw my support' })
  @ApiOkResponse({ type: ReportResponseDto })
  unsupport(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.reports.unsupport(user, id);
  }
}
