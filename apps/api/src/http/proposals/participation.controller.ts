import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { CreateTopicDto, ParticipationService, ParticipationSettingsDto, UpdateTopicDto } from '@app/proposals';
import { UuidParam } from '../../common/uuid-param';

/** A municipality's proposal topics and participation settings (its admin). */
@ApiTags('proposals')
@Controller('api/v1/municipalities/:slug')
export class ParticipationController {
  constructor(private readonly participation: ParticipationService) {}

  @Get('proposal-settings')
  @Public()
  @ApiOperation({ summary: 'Participation settings: residency needed to support, threshold, support period, answer deadline' })
  getSettings(@Param('slug') slug: string) {
    return this.participation.getSettings(slug);
  }

  @Put('proposal-settings')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change participation settings (municipality admin); unset fields keep their value' })
  putSettings(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: ParticipationSettingsDto) {
    return this.participation.putSettings(caller, slug, dto);
  }

  @Get('proposal-topics')
  @Public()
  @ApiOperation({ summary: 'Active proposal topics, with French and English names' })
  async topics(@Param('slug') slug: string) {
    return { items: await this.participation.listTopics(slug) };
  }

  @Post('proposal-topics')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a proposal topic (municipality admin)' })
  @ApiConflictResponse({ description: 'PROPOSAL_TOPIC_CODE_TAKEN' })
  createTopic(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateTopicDto) {
    return this.participation.createTopic(caller, slug, dto);
  }

  @Patch('proposal-topics/:topicId')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Rename or (de)activate a topic (municipality admin)' })
  @ApiNotFoundResponse()
  updateTopic(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('topicId') topicId: string, @Body() dto: UpdateTopicDto) {
    return this.participation.updateTopic(caller, slug, topicId, dto);
  }
}
