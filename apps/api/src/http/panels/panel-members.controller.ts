import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  InvitationLetterDto,
  MemberHistoryEntryDto,
  MemberLifecycleService,
  MemberListQueryDto,
  MemberRosterService,
  PanelMemberPageDto,
  PanelMemberResponseDto,
  PanelTermDto,
  RedeemInvitationDto,
  RedrawOutcomeDto,
  RepresentativenessReportDto,
  RepresentativenessService,
  ReplacementDrawsService,
  RotatePanelDto,
} from '@app/panels';
import { ApiErrors } from '../../common/error-response.dto';

/** A drawn person's answers, and the town's view of the seats. */
@ApiTags('panels')
@ApiBearerAuth()
@Controller('api/v1/panels/:id')
export class PanelMembersController {
  constructor(
    private readonly lifecycle: MemberLifecycleService,
    private readonly roster: MemberRosterService,
    private readonly replacements: ReplacementDrawsService,
    private readonly representativeness: RepresentativenessService,
  ) {}

  @Get('members/me')
  @ApiOperation({ summary: 'My seat on the panel (selected, confirmed, active, or how it ended)' })
  @ApiErrors({ 404: 'PANEL_NOT_FOUND, PANEL_MEMBER_NOT_FOUND' })
  @ApiOkResponse({ type: PanelMemberResponseDto })
  mine(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelMemberResponseDto> {
    return this.lifecycle.mine(user, id);
  }

  @Post('members/me/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the seat before the deadline; the term starts once every seat is confirmed' })
  @ApiErrors({ 404: 'PANEL_NOT_FOUND, PANEL_MEMBER_NOT_FOUND', 409: 'PANEL_MEMBER_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: PanelMemberResponseDto })
  confirm(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelMemberResponseDto> {
    return this.lifecycle.confirm(user, id);
  }

  @Post('members/me/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the seat; a replacement is drawn keeping the quotas' })
  @ApiErrors({ 404: 'PANEL_NOT_FOUND, PANEL_MEMBER_NOT_FOUND', 409: 'PANEL_MEMBER_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: PanelMemberResponseDto })
  decline(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelMemberResponseDto> {
    return this.lifecycle.decline(user, id);
  }

  @Post('members/me/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Leave the panel; a replacement is drawn keeping the quotas' })
  @ApiErrors({ 404: 'PANEL_NOT_FOUND, PANEL_MEMBER_NOT_FOUND', 409: 'PANEL_MEMBER_ILLEGAL_TRANSITION' })
  @ApiOkResponse({ type: PanelMemberResponseDto })
  withdraw(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelMemberResponseDto> {
    return this.lifecycle.withdraw(user, id);
  }

  @Post('invitations/redeem')
  @HttpCode(200)
  @ApiOperation({ summary: "Claim the seat of an invitation letter with its code (imported residents, after signing up); then confirm or decline" })
  @ApiErrors({ 404: 'PANEL_NOT_FOUND', 409: 'PANEL_ALREADY_MEMBER', 422: 'PANEL_INVITATION_CODE_INVALID' })
  @ApiOkResponse({ type: PanelMemberResponseDto })
  redeem(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RedeemInvitationDto): Promise<PanelMemberResponseDto> {
    return this.lifecycle.redeem(user, id, dto.code);
  }

  @Get('members')
  @ApiOperation({ summary: "The panel's members, oldest seat first, optionally by status; staff" })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND' })
  @ApiOkResponse({ type: PanelMemberPageDto })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: MemberListQueryDto): Promise<PanelMemberPageDto> {
    return this.roster.list(user, id, query);
  }

  @Get('members/:memberId/history')
  @ApiOperation({ summary: "Every status change of a member; staff" })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND, PANEL_MEMBER_NOT_FOUND' })
  @ApiOkResponse({ type: [MemberHistoryEntryDto] })
  history(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('memberId') memberId: string): Promise<MemberHistoryEntryDto[]> {
    return this.roster.history(user, id, memberId);
  }

  @Get('invitation-letters')
  @ApiOperation({ summary: 'Codes to print on the invitation letters of drawn imported residents who have not answered; municipality admin (audited)' })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND' })
  @ApiOkResponse({ type: [InvitationLetterDto] })
  letters(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<InvitationLetterDto[]> {
    return this.roster.invitationLetters(user, id);
  }

  @Post('term/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the first term with the seats confirmed so far (when one cannot be filled); municipality admin' })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND', 409: 'PANEL_TERM_RUNNING, PANEL_TERM_NOT_READY' })
  @ApiOkResponse({ type: PanelTermDto })
  async startTerm(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelTermDto> {
    const panel = await this.lifecycle.startTerm(user, id);
    return { termNumber: panel.termNumber, termStartedAt: panel.termStartedAt, termEndsAt: panel.termEndsAt };
  }

  @Post('rotations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Once the term has ended: rotate out the longest-serving share of the seats and draw their replacements with a newly revealed seed; the next term starts; municipality admin' })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND', 409: 'PANEL_ROTATION_NOT_DUE' })
  @ApiOkResponse({ type: RedrawOutcomeDto })
  rotate(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RotatePanelDto): Promise<RedrawOutcomeDto> {
    return this.replacements.rotate(user, id, dto.seed);
  }

  @Get('representativeness')
  @ApiOperation({ summary: 'The panel against its quotas, and response rates to the invitations by feature value; staff' })
  @ApiErrors(403, { 404: 'PANEL_NOT_FOUND' })
  @ApiOkResponse({ type: RepresentativenessReportDto })
  report(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<RepresentativenessReportDto> {
    return this.representativeness.report(user, id);
  }
}
