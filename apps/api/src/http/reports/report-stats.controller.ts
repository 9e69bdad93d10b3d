import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { ExportQueryDto, ReportStatsResponseDto, ReportStatsService, StatsQueryDto } from '@app/reports';

@ApiTags('triage')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/municipalities/:slug/reports')
export class ReportStatsController {
  constructor(private readonly reportStats: ReportStatsService) {}

  @Get('stats')
  @ApiOperation({ summary: 'Counts by status, category and kind, and median times to acknowledge and resolve, over reports created in [from, to); staff' })
  @ApiOkResponse({ type: ReportStatsResponseDto })
  @ApiBadRequestResponse({ description: 'Bad dates, from not before to, or more than 731 days' })
  @ApiForbiddenResponse()
  stats(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: StatsQueryDto) {
    return this.reportStats.stats(user, slug, query);
  }

  @Get('export.csv')
  @ApiOperation({ summary: 'CSV of the reports created in [from, to), oldest first, streamed; staff' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv with a header row', schema: { type: 'string' } })
  @ApiBadRequestResponse()
  @ApiForbiddenResponse()
  async exportCsv(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    const { filename, stream } = await this.reportStats.exportCsv(user, slug, query);
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
  }
}
