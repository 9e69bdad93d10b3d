import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  AssistedIntakeService,
  AssistedReportDto,
  CorrectionResponseDto,
  CorrectReportDto,
  etagOf,
  ModerateReportDto,
  ReportCorrectionsService,
  ReportResponseDto,
  TransferReportDto,
} from '@app/reports';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/uuid-param';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The version you saw ("3"); or send `version` in the body. One of them is required.' };

/** What staff do to reports besides triage: file for someone, correct, transfer, hide. */
@ApiTags('triage')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class StaffReportsController {
  constructor(
    private readonly intake: AssistedIntakeService,
    private readonly corrections: ReportCorrectionsService,
  ) {}

  @Post('municipalities/:slug/reports/assisted')
  @ApiOperation({
    summary: 'File a report for someone who phoned, came to the counter, wrote or was helped at a third place; staff',
    description: "The person's name and contact are staff-only; notifications reach the contact's e-mail.",
  })
  @ApiCreatedResponse({ type: ReportResponseDto, description: 'The staff view' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or a contact without e-mail nor phone' })
  @ApiForbiddenResponse({ description: 'Not staff of this municipality' })
  @ApiNotFoundResponse({ description: 'No such municipality' })
  @ApiUnprocessableEntityResponse({ description: 'Attributes invalid, category inactive, or location outside the municipality' })
  fileAssisted(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: AssistedReportDto) {
    return this.intake.file(user, slug, dto);
  }

  @Patch('reports/:id/correction')
  @ApiOperation({
    summary: "Correct a report's pin, address, category or description (a redaction is a corrected description); staff of its municipality",
    description: 'The values before are kept (GET /reports/:id/corrections) and audited; the category brings its department and deadlines.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ReportResponseDto, description: 'The staff view; the ETag header carries the new version' })
  @ApiBadRequestResponse({ description: 'Invalid fields, nothing to correct, or no version given (VERSION_REQUIRED)' })
  @ApiForbiddenResponse({ description: 'Not staff of its municipality' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'STALE_VERSION' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown category, or a pin outside the municipality (OUTSIDE_MUNICIPALITY names the one containing it: transfer instead)' })
  async correct(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: CorrectReportDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return withEtag(res, await this.corrections.correct(user, id, dto, ifMatch));
  }

  @Post('reports/:id/transfer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Transfer an open report to the municipality it belongs to; staff of its current municipality',
    description: "That town's staff own it from then on; the reporter, supporters and followers keep it. Assignee and deadline override are dropped, deadlines recomputed.",
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ReportResponseDto, description: 'The report as you may now see it' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or no version given (VERSION_REQUIRED)' })
  @ApiForbiddenResponse({ description: 'Not staff of its municipality' })
  @ApiNotFoundResponse({ description: 'No such report or municipality' })
  @ApiConflictResponse({ description: 'STALE_VERSION, TRANSFER_NOT_OPEN, TRANSFER_DEVICE_CONFLICT' })
  @ApiUnprocessableEntityResponse({ description: 'TRANSFER_SAME_MUNICIPALITY, unknown category there, or a pin outside it' })
  async transfer(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: TransferReportDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return withEtag(res, await this.corrections.transfer(user, id, dto, ifMatch));
  }

  @Post('reports/:id/hide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a report out of public view now, without waiting for a flag; staff of its municipality (the reporter still sees it)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, or no version given (VERSION_REQUIRED)' })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'STALE_VERSION' })
  async hide(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ModerateReportDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return withEtag(res, await this.corrections.setHidden(user, id, true, dto, ifMatch));
  }

  @Post('reports/:id/unhide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a hidden report back in public view; staff of its municipality' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, or no version given (VERSION_REQUIRED)' })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'STALE_VERSION' })
  async unhide(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: ModerateReportDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return withEtag(res, await this.corrections.setHidden(user, id, false, dto, ifMatch));
  }

  @Get('reports/:id/corrections')
  @ApiOperation({ summary: "A report's corrections, transfers and hidings with the values before; staff of its municipality" })
  @ApiOkResponse({ type: [CorrectionResponseDto] })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  listCorrections(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.corrections.list(user, id);
  }
}

function withEtag<T extends Record<string, unknown>>(res: FastifyReply, view: T): T {
  res.header('ETag', etagOf(Number(view.version)));
  return view;
}
