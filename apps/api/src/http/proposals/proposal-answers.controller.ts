import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { AnswersService, BulkPublishResponseDto, ProposalAnswerDto, ProposalAnswerResponseDto, ProposalListResponseDto, ProposalResponseDto, PublishAnswersDto } from '@app/proposals';
import { UuidParam } from '../../common/uuid-param';

/** The town's official answers to proposals (staff). */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('api/v1')
export class ProposalAnswersController {
  constructor(private readonly answers: AnswersService) {}

  @Put('proposals/:id/answer')
  @ApiOperation({ summary: 'Draft (or redraft) the official answer: evaluating, accepted (cost, timeline) or rejected (reason); not public until published' })
  @ApiForbiddenResponse()
  @ApiConflictResponse({ description: 'PROPOSAL_ILLEGAL_TRANSITION: the proposal cannot be answered in its state' })
  @ApiOkResponse({ type: ProposalAnswerResponseDto })
  draft(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: ProposalAnswerDto): Promise<ProposalAnswerResponseDto> {
    return this.answers.draft(caller, id, dto);
  }

  @Get('proposals/:id/answer')
  @ApiOperation({ summary: 'The answer as drafted (staff)' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'PROPOSAL_NO_ANSWER' })
  @ApiOkResponse({ type: ProposalAnswerResponseDto })
  get(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ProposalAnswerResponseDto> {
    return this.answers.getDraft(caller, id);
  }

  @Post('proposals/:id/answer/publish')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Publish the drafted answer: the proposal moves to its state; authors, followers and supporters are told' })
  @ApiConflictResponse({ description: 'PROPOSAL_NO_ANSWER or PROPOSAL_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: ProposalResponseDto })
  publish(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ProposalResponseDto> {
    return this.answers.publish(caller, id);
  }

  @Post('municipalities/:slug/proposals/answers/publish')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Publish many drafted answers at once; each proposal succeeds or fails on its own' })
  @ApiOkResponse({ type: BulkPublishResponseDto })
  publishMany(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: PublishAnswersDto): Promise<BulkPublishResponseDto> {
    return this.answers.publishMany(caller, slug, dto.proposalIds);
  }

  @Post('proposals/:id/implemented')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark an accepted proposal implemented (staff)' })
  @ApiConflictResponse({ description: 'PROPOSAL_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: ProposalResponseDto })
  implemented(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ProposalResponseDto> {
    return this.answers.markImplemented(caller, id);
  }

  @Get('municipalities/:slug/proposals/overdue-answers')
  @ApiOperation({ summary: 'Proposals whose answer deadline passed without an answer (staff)' })
  @ApiOkResponse({ type: ProposalListResponseDto })
  async overdue(@CurrentUser() caller: AuthUser, @Param('slug') slug: string): Promise<ProposalListResponseDto> {
    return { items: await this.answers.overdue(caller, slug) };
  }
}
