import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { AuthUser, CurrentUser, PageQueryDto, Public } from '@app/common';
import {
  BallotDto,
  BallotRule,
  BallotsService,
  BudgetEntity,
  BudgetProjectEntity,
  BudgetProjectsService,
  BudgetsService,
  CreateBudgetDto,
  DistrictHeading,
  ExportQueryDto,
  ImportProposalDto,
  PaperBallotDto,
  ProposeProjectDto,
  ReplaceBallotDto,
  ReviewProjectDto,
  UpdateBudgetDto,
  UpdateProjectDto,
} from '@app/budgets';

class ListProjectsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "A district heading's id, or `town` for the town-wide heading" })
  @IsOptional()
  @IsString()
  @Matches(/^(town|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'district must be a district id or town' })
  district?: string;

  @IsOptional()
  @ApiPropertyOptional({ enum: ['proposed', 'feasible', 'unfeasible', 'on_ballot', 'withdrawn'], description: 'Withdrawn projects are listed only when asked for' })
  @IsIn(['proposed', 'feasible', 'unfeasible', 'on_ballot', 'withdrawn'])
  status?: 'proposed' | 'feasible' | 'unfeasible' | 'on_ballot' | 'withdrawn';
}

function toBudgetResponse(b: BudgetEntity) {
  return {
    id: b.id,
    municipalityId: b.municipalityId,
    title: b.title,
    description: b.description,
    amount: Number(b.amount),
    currency: b.currency,
    districtAmounts: b.districtAmounts,
    ballotRule: b.ballotRule,
    outcomeRule: b.outcomeRule,
    add1: b.add1,
    eligibility: b.eligibility,
    phase: b.phase,
    proposingEndsAt: b.proposingEndsAt,
    reviewingEndsAt: b.reviewingEndsAt,
    votingEndsAt: b.votingEndsAt,
  };
}

function toProjectResponse(p: BudgetProjectEntity) {
  return {
    id: p.id,
    budgetId: p.budgetId,
    districtId: p.districtId,
    title: p.title,
    description: p.description,
    cost: Number(p.cost),
    location: p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null,
    proposalId: p.proposalId,
    status: p.status,
    reviewReason: p.reviewReason,
    selected: p.selected,
  };
}

@ApiTags('budgets')
@Controller('api/v1')
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly projectsService: BudgetProjectsService,
    private readonly ballots: BallotsService,
  ) {}

  @Post('municipalities/:slug/budgets')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a participatory budget (municipality admin)' })
  async create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateBudgetDto) {
    const input = { ...dto, ballotRule: dto.ballotRule as BallotRule, districtAmounts: dto.districtAmounts as DistrictHeading[] | undefined, proposingEndsAt: new Date(dto.proposingEndsAt), reviewingEndsAt: new Date(dto.reviewingEndsAt), votingEndsAt: new Date(dto.votingEndsAt) };
    return toBudgetResponse(await this.budgets.create(caller, slug, input));
  }

  @Get('municipalities/:slug/budgets')
  @Public()
  @ApiOperation({ summary: "A municipality's budgets" })
  async list(@Param('slug') slug: string) {
    return { items: (await this.budgets.list(slug)).map(toBudgetResponse) };
  }

  @Get('budgets/:id')
  @Public()
  async get(@Param('id') id: string) {
    return toBudgetResponse(await this.budgets.get(id));
  }

  @Patch('budgets/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a budget (municipality admin): texts any time, amounts and rules until voting opens, each end date until its phase ends' })
  async update(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: UpdateBudgetDto) {
    const dates = (['proposingEndsAt', 'reviewingEndsAt', 'votingEndsAt'] as const).filter((k) => dto[k] !== undefined).map((k) => [k, new Date(dto[k]!)]);
    const input = { ...dto, ballotRule: dto.ballotRule as BallotRule | undefined, districtAmounts: dto.districtAmounts as DistrictHeading[] | undefined, ...Object.fromEntries(dates) };
    return toBudgetResponse(await this.budgets.update(caller, id, input));
  }

  @Post('budgets/:id/advance')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Move the budget to its next phase now (municipality admin); closing voting tallies it' })
  async advance(@CurrentUser() caller: AuthUser, @Param('id') id: string) {
    return toBudgetResponse(await this.budgets.advance(caller, id));
  }

  @Post('budgets/:id/projects')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Propose a project (verified resident, proposing phase)' })
  async propose(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: ProposeProjectDto) {
    return toProjectResponse(await this.projectsService.propose(caller, id, dto));
  }

  @Post('budgets/:id/projects/import')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Import a citizen proposal that reached its threshold as a project, keeping the link (municipality staff, proposing or reviewing)' })
  async importProposal(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: ImportProposalDto) {
    return toProjectResponse(await this.projectsService.importProposal(caller, id, dto));
  }

  @Get('budgets/:id/projects')
  @Public()
  async projects(@Param('id') id: string, @Query() query: ListProjectsQueryDto) {
    const page = await this.projectsService.list(id, query);
    return { items: page.items.map(toProjectResponse), nextCursor: page.nextCursor };
  }

  @Get('budgets/:id/my-projects')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's own projects in this budget, withdrawn ones too" })
  async myProjects(@CurrentUser() caller: AuthUser, @Param('id') id: string) {
    return { items: (await this.projectsService.listMine(caller, id)).map(toProjectResponse) };
  }

  @Patch('budgets/:id/projects/:projectId')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change one\'s proposed project (its proposer, while proposals are open and before review; 409 otherwise)' })
  async updateProject(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Param('projectId') projectId: string, @Body() dto: UpdateProjectDto) {
    return toProjectResponse(await this.projectsService.update(caller, id, projectId, dto));
  }

  @Post('budgets/:id/projects/:projectId/withdraw')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw one\'s proposed project (its proposer, while proposals are open and before review; 409 otherwise)' })
  async withdrawProject(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Param('projectId') projectId: string) {
    return toProjectResponse(await this.projectsService.withdraw(caller, id, projectId));
  }

  @Post('budgets/:id/projects/:projectId/review')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Review a project: feasible, unfeasible (with a reason), or on the ballot; final cost (staff)' })
  async review(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Param('projectId') projectId: string, @Body() dto: ReviewProjectDto) {
    return toProjectResponse(await this.projectsService.review(caller, id, projectId, dto));
  }

  @Put('budgets/:id/ballot')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Keep the caller's draft ballot (checked on submit)" })
  async putDraft(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: BallotDto): Promise<void> {
    await this.ballots.putDraft(caller, id, dto);
  }

  @Get('budgets/:id/ballot')
  @ApiBearerAuth()
  async getDraft(@CurrentUser() caller: AuthUser, @Param('id') id: string) {
    return { draft: await this.ballots.getDraft(caller, id) };
  }

  @Post('budgets/:id/ballot/submit')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Cast the draft: one ballot per resident; 422 naming the rule and figures when it breaks it' })
  async submit(@CurrentUser() caller: AuthUser, @Param('id') id: string) {
    return this.ballots.submit(caller, id);
  }

  @Post('budgets/:id/ballot/replace')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Replace your cast ballot until voting closes, with its receipt; returns a new receipt' })
  async replace(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: ReplaceBallotDto) {
    const { receipt, ...choice } = dto;
    return this.ballots.replace(caller, id, receipt, choice);
  }

  @Post('budgets/:id/paper-ballots')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Enter the paper ballot of a resident who has not voted online (staff)' })
  async paper(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: PaperBallotDto) {
    const { residentId, ...choice } = dto;
    return this.ballots.enterPaperBallot(caller, id, residentId, choice);
  }

  @Get('budgets/:id/turnout')
  @Public()
  async turnout(@Param('id') id: string) {
    return this.ballots.turnout(id);
  }

  @Get('budgets/:id/receipts')
  @Public()
  @ApiOperation({ summary: "SHA-256 hashes of every counted ballot's receipt (after voting closes)" })
  async receipts(@Param('id') id: string) {
    return { receiptHashes: await this.ballots.receipts(id) };
  }

  @Get('budgets/:id/results')
  @Public()
  @ApiOperation({ summary: 'The stored, immutable outcome' })
  async results(@Param('id') id: string) {
    return this.ballots.result(id);
  }

  @Get('budgets/:id/export.pb')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The Pabulib file: projects, ballots anonymous in random order' })
  async exportPb(@Param('id') id: string, @Query() query: ExportQueryDto): Promise<string> {
    return this.ballots.exportPabulib(id, query.district ?? null);
  }
}
