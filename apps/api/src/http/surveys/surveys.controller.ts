import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, PageQueryDto, Public } from '@app/common';
import {
  Answers,
  CreateSurveyDto,
  Question,
  ResponsesService,
  ResultsService,
  SavedAnswersDto,
  SaveResponseDto,
  SurveyEntity,
  SurveyPageDto,
  SurveyResponseDto,
  SurveyResultsDto,
  SurveyResultsQueryDto,
  SurveysService,
  surveyState,
} from '@app/surveys';

function toSurveyResponse(s: SurveyEntity): SurveyResponseDto {
  return {
    id: s.id,
    municipalityId: s.municipalityId,
    title: s.title,
    description: s.description,
    questions: s.questions,
    audience: s.audience,
    anonymous: s.anonymous,
    resultsPublic: s.resultsPublic,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    reminderDaysBefore: s.reminderDaysBefore,
    closedAt: s.closedAt,
    state: surveyState(s),
  };
}

@ApiTags('surveys')
@Controller('api/v1')
export class SurveysController {
  constructor(
    private readonly surveys: SurveysService,
    private readonly responses: ResponsesService,
    private readonly results: ResultsService,
  ) {}

  @Post('municipalities/:slug/surveys')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a survey (municipality staff): questions, audience (a panel or the residents, optionally of a district), anonymity, dates' })
  @ApiCreatedResponse({ type: SurveyResponseDto })
  async create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateSurveyDto): Promise<SurveyResponseDto> {
    const audience = dto.audience.kind === 'panel' ? { kind: 'panel' as const, panelId: dto.audience.panelId ?? '' } : { kind: 'residents' as const, districtId: dto.audience.districtId ?? null };
    const survey = await this.surveys.create(caller, slug, {
      ...dto,
      questions: dto.questions as Question[],
      audience,
      opensAt: new Date(dto.opensAt),
      closesAt: new Date(dto.closesAt),
    });
    return toSurveyResponse(survey);
  }

  @Get('municipalities/:slug/surveys')
  @Public()
  @ApiOperation({ summary: "A municipality's surveys, newest first (keyset: cursor, limit)" })
  @ApiOkResponse({ type: SurveyPageDto })
  async list(@Param('slug') slug: string, @Query() page: PageQueryDto): Promise<SurveyPageDto> {
    const found = await this.surveys.list(slug, page);
    return { items: found.items.map(toSurveyResponse), nextCursor: found.nextCursor };
  }

  @Get('surveys/:id')
  @Public()
  @ApiOperation({ summary: 'A survey with its questions, and whether its answers are anonymous' })
  @ApiOkResponse({ type: SurveyResponseDto })
  async get(@Param('id') id: string): Promise<SurveyResponseDto> {
    return toSurveyResponse(await this.surveys.get(id));
  }

  @Put('surveys/:id/response')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Save the caller's response (partial until submitted; editable until the close); 422 naming each question whose answer does not fit" })
  @ApiOkResponse({ type: SavedAnswersDto })
  async save(@CurrentUser() caller: AuthUser, @Param('id') id: string, @Body() dto: SaveResponseDto): Promise<SavedAnswersDto> {
    return this.responses.save(caller, id, { answers: dto.answers as Answers, submit: dto.submit, home: dto.home });
  }

  @Get('surveys/:id/response')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's saved response" })
  @ApiOkResponse({ type: SavedAnswersDto })
  async mine(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<SavedAnswersDto> {
    return this.responses.mine(caller, id);
  }

  @Post('surveys/:id/close')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Close the survey now (municipality staff); anonymous answers are released unlinked' })
  @ApiOkResponse({ type: SurveyResponseDto })
  async close(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<SurveyResponseDto> {
    return toSurveyResponse(await this.surveys.close(caller, id));
  }

  @Get('surveys/:id/results')
  @Public()
  @ApiOperation({ summary: 'Results (staff; anyone after the close when the survey says so), optionally cross-tabbed and weighted by a panel feature' })
  @ApiOkResponse({ type: SurveyResultsDto })
  async resultsOf(@CurrentUser() caller: AuthUser | undefined, @Param('id') id: string, @Query() query: SurveyResultsQueryDto): Promise<SurveyResultsDto> {
    return this.results.results(caller ?? null, id, query);
  }

  @Get('surveys/:id/results.csv')
  @Public()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'One line per submitted response (anonymous surveys: no respondent, random order)' })
  async csv(@CurrentUser() caller: AuthUser | undefined, @Param('id') id: string): Promise<string> {
    return this.results.csv(caller ?? null, id);
  }
}
