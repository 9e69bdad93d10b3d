import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { CreateTopicDto, ParticipationService, ParticipationSettingsDto, ParticipationSettingsResponseDto, ProposalTopicListResponseDto, ProposalTopicResponseDto, UpdateTopicDto } from '@app/proposals';
import { UuidParam } from '../../common/uuid-param';

/** A municipality's proposal topics and participation settings (its admin). */
@ApiTags('proposals')
@Controller('api/v1/municipalities/:slug')
export class ParticipationController {
  constructor(private readonly participation: ParticipationService) {}

  @Get('proposal-settings')
  @Public()
  @ApiOperation({ summary: 'Participation settings: residency needed to support, threshold, support period, answer deadline' })
  @ApiOkResponse({ type: ParticipationSettingsResponseDto })
  getSettings(@Param('slug') slug: string): Promise<ParticipationSettingsResponseDto> {
    return this.participation.getSettings(slug);
  }

  @Put('proposal-settings')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change participation settings (municipality admin); unset fields keep their value' })
  @ApiOkResponse({ type: ParticipationSettingsResponseDto })
  putSettings(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: ParticipationSettingsDto): Promise<ParticipationSettingsResponseDto> {
    return this.participation.putSettings(caller, slug, dto);
  }

  @Get('proposal-topics')
  @Public()
  @ApiOperation({ summary: 'Active proposal topics, with French and English names' })
  @ApiOkResponse({ type: ProposalTopicListResponseDto })
  async topics(@Param('slug') slug: string): Promise<ProposalTopicListResponseDto> {
    return { items: await this.participation.listTopics(slug) };
  }

  @Post('proposal-topics')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a proposal topic (municipality admin)' })
  @ApiConflictResponse({ description: 'PROPOSAL_TOPIC_CODE_TAKEN' })
  @ApiCreatedResponse({ type: ProposalTopicResponseDto })
  createTopic(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateTopicDto): Promise<ProposalTopicResponseDto> {
    return this.participation.createTopic(caller, slug, dto);
  }

  @Patch('proposal-topics/:topicId')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Rename or (de)activate a topic (municipality admin)' })
  @ApiNotFoundResponse()
  @ApiOkResponse({ type: ProposalTopicResponseDto })
  updateTopic(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('topicId') topicId: string, @Body() dto: UpdateTopicDto): Promise<ProposalTopicResponseDto> {
    return this.participation.updateTopic(caller, slug, topicId, dto);
  }
}
