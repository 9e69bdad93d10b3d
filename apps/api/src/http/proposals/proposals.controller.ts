import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  CreateProposalDto,
  IdeaProposalsService,
  InviteCoauthorByEmailDto,
  InviteCoauthorDto,
  PromoteReportDto,
  PromotionService,
  ProposalFromIdeaDto,
  ProposalListResponseDto,
  ProposalResponseDto,
  ProposalsService,
  SupportResultResponseDto,
  SupportsService,
  UpdateProposalDto,
  WithdrawProposalDto,
} from '@app/proposals';
import { AuthRateLimit } from '../../common/auth-rate-limit';
import { UuidParam } from '../../common/uuid-param';

/** Writing, publishing and withdrawing proposals; co-authors. */
@ApiTags('proposals')
@Controller('api/v1')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly supports: SupportsService,
    private readonly promotion: PromotionService,
    private readonly ideaProposals: IdeaProposalsService,
  ) {}

  @Post('municipalities/:slug/proposals')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Write a draft proposal (title, Markdown body, topic, optional place or district)' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown topic or district, place outside the municipality, nothing left after sanitizing' })
  @ApiCreatedResponse({ type: ProposalResponseDto })
  async create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateProposalDto): Promise<ProposalResponseDto> {
    const created = await this.proposals.create(caller, slug, dto);
    return this.proposals.view(caller, created.id);
  }

  @Get('proposals/:id')
  @Public()
  @ApiOperation({ summary: 'One proposal: public ones for everyone; drafts for their authors; held and hidden ones for their authors and staff' })
  @ApiNotFoundResponse()
  @ApiOkResponse({ type: ProposalResponseDto })
  get(@CurrentUser() caller: AuthUser | undefined, @UuidParam('id') id: string): Promise<ProposalResponseDto> {
    return this.proposals.view(caller ?? null, id);
  }

  @Patch('proposals/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Edit a proposal (its author): drafts freely, a published one until its first support' })
  @ApiConflictResponse({ description: 'PROPOSAL_EDIT_LOCKED: it has supports' })
  @ApiForbiddenResponse()
  @ApiOkResponse({ type: ProposalResponseDto })
  async update(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateProposalDto): Promise<ProposalResponseDto> {
    await this.proposals.update(caller, id, dto);
    return this.proposals.view(caller, id);
  }

  @Post('proposals/:id/publish')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Publish a draft (its author): the support period starts' })
  @ApiConflictResponse({ description: 'PROPOSAL_ILLEGAL_TRANSITION, with the allowed states' })
  @ApiOkResponse({ type: ProposalResponseDto })
  async publish(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ProposalResponseDto> {
    await this.proposals.publish(caller, id);
    return this.proposals.view(caller, id);
  }

  @Post('proposals/:id/withdraw')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw a proposal (its author), with a reason, from a draft or any public state' })
  @ApiConflictResponse({ description: 'PROPOSAL_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: ProposalResponseDto })
  async withdraw(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: WithdrawProposalDto): Promise<ProposalResponseDto> {
    await this.proposals.withdraw(caller, id, dto.reason);
    return this.proposals.view(caller, id);
  }

  @Post('proposals/:id/coauthors')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Invite someone to co-sign (the author); shown once they accept' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_PERSON' })
  async invite(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: InviteCoauthorDto): Promise<void> {
    await this.proposals.inviteCoauthor(caller, id, dto.userId);
  }

  @Post('proposals/:id/coauthors/by-email')
  @ApiBearerAuth()
  @AuthRateLimit()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Invite a verified resident of the town to co-sign by e-mail address (the author)',
    description: 'Only the town’s verified residents can be found; every lookup is audited; under the per-IP limit of the authentication routes.',
  })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_PERSON on `email` (no verified resident of this town has it), AUTHOR_ALREADY_SIGNS' })
  async inviteByEmail(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: InviteCoauthorByEmailDto): Promise<void> {
    await this.proposals.inviteCoauthorByEmail(caller, id, dto.email);
  }

  @Post('proposals/:id/coauthors/accept')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Accept an invitation to co-sign' })
  @ApiNotFoundResponse({ description: 'PROPOSAL_NO_INVITATION' })
  async accept(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.proposals.acceptInvitation(caller, id);
  }

  @Post('proposals/:id/coauthors/decline')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Decline an invitation to co-sign (the invitee): it is removed' })
  @ApiNotFoundResponse({ description: 'PROPOSAL_NO_INVITATION (none pending)' })
  async decline(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.proposals.declineInvitation(caller, id);
  }

  @Get('me/proposal-invitations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The proposals I am invited to co-sign and have not answered yet, newest first' })
  @ApiOkResponse({ type: ProposalListResponseDto })
  async invitations(@CurrentUser() caller: AuthUser): Promise<ProposalListResponseDto> {
    return { items: await this.proposals.pendingInvitations(caller) };
  }

  @Post('proposals/:id/support')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Support a proposal (once per person; not its authors; verified residents where the town requires it)' })
  @ApiConflictResponse({ description: 'PROPOSAL_NOT_SUPPORTABLE (draft, closed, period over) or PROPOSAL_OWN_SUPPORT' })
  @ApiForbiddenResponse({ description: 'PROPOSAL_RESIDENCY_REQUIRED' })
  @ApiOkResponse({ type: SupportResultResponseDto })
  support(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<SupportResultResponseDto> {
    return this.supports.support(caller, id);
  }

  @Delete('proposals/:id/support')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Take one’s support back while the proposal takes supports' })
  @ApiConflictResponse({ description: 'PROPOSAL_NOT_SUPPORTABLE' })
  @ApiOkResponse({ type: SupportResultResponseDto })
  unsupport(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<SupportResultResponseDto> {
    return this.supports.unsupport(caller, id);
  }

  @Post('reports/:id/promote-to-proposal')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make a suggestion report a published proposal (staff); the report links to it and its reporter is told' })
  @ApiConflictResponse({ description: 'PROPOSAL_REPORT_NOT_SUGGESTION or PROPOSAL_ALREADY_PROMOTED' })
  promote(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string, @Body() dto: PromoteReportDto) {
    return this.promotion.promote(caller, id, dto);
  }

  @Post('workshop-ideas/:ideaId/proposal')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make my note from a workshop board a draft proposal (its author only: asking is the consent); one proposal per note' })
  @ApiForbiddenResponse({ description: 'WORKSHOP_IDEA_NOT_YOURS: only the note’s author may' })
  @ApiNotFoundResponse({ description: 'BOARD_IDEA_NOT_FOUND (unknown or hidden note)' })
  @ApiConflictResponse({ description: 'PROPOSAL_IDEA_ALREADY_PROPOSED (meta.proposalId)' })
  fromWorkshopIdea(@CurrentUser() caller: AuthUser, @UuidParam('ideaId') ideaId: string, @Body() dto: ProposalFromIdeaDto) {
    return this.ideaProposals.fromWorkshopIdea(caller, ideaId, dto);
  }

  @Post('proposals/:id/claim')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The reporter of a promoted suggestion becomes the proposal’s author' })
  @ApiNotFoundResponse({ description: 'PROPOSAL_NO_INVITATION' })
  claim(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string) {
    return this.promotion.claim(caller, id);
  }
}
