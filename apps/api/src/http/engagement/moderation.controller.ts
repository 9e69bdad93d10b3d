import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  ApproveModerationItemDto,
  ModerationItemResponseDto,
  ModerationQueuePageDto,
  ModerationQueueQueryDto,
  ModerationQueueService,
  ModerationService,
  ModerationSettingsDto,
  ModerationSettingsService,
  RejectModerationItemDto,
  toModerationItemResponse,
  toModerationSettingsResponse,
  toQueuedModerationItemResponse,
  UpdateModerationSettingsDto,
} from '@app/engagement';
import { ApiErrors } from '../../common/error-response.dto';
import { UuidParam } from '../../common/uuid-param';

/** A town's moderation: its rules (admins), its queue and decisions (staff and admins). */
@ApiTags('moderation')
@ApiBearerAuth()
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/moderation')
export class ModerationController {
  constructor(
    private readonly settings: ModerationSettingsService,
    private readonly queueService: ModerationQueueService,
    private readonly moderation: ModerationService,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: "The town's moderation rules", description: 'Its staff and admins. A town that never set them has the defaults.' })
  @ApiOkResponse({ type: ModerationSettingsDto })
  @ApiErrors({ 403: 'FORBIDDEN: not staff or admin of this municipality', 404: 'MUNICIPALITY_NOT_FOUND' })
  async getSettings(@Param('slug') slug: string, @CurrentUser() caller: AuthUser): Promise<ModerationSettingsDto> {
    return toModerationSettingsResponse(await this.settings.get(caller, slug));
  }

  @Patch('settings')
  @ApiOperation({
    summary: "Change the town's moderation rules",
    description: 'Its admins. Fields left out keep their value; heldWords replaces the list. Audited (moderation.settings_changed).',
  })
  @ApiOkResponse({ type: ModerationSettingsDto })
  @ApiErrors({ 403: 'FORBIDDEN: not admin of this municipality', 404: 'MUNICIPALITY_NOT_FOUND' })
  async updateSettings(@Param('slug') slug: string, @Body() dto: UpdateModerationSettingsDto, @CurrentUser() caller: AuthUser): Promise<ModerationSettingsDto> {
    return toModerationSettingsResponse(await this.settings.update(caller, slug, dto));
  }

  @Get('queue')
  @ApiOperation({
    summary: 'The moderation queue: held and flagged content of every kind, oldest first',
    description: "The town's staff and admins. Default status pending; keyset pages.",
  })
  @ApiOkResponse({ type: ModerationQueuePageDto })
  @ApiErrors({ 403: 'FORBIDDEN: not staff or admin of this municipality', 404: 'MUNICIPALITY_NOT_FOUND' })
  async queue(@Param('slug') slug: string, @Query() query: ModerationQueueQueryDto, @CurrentUser() caller: AuthUser): Promise<ModerationQueuePageDto> {
    const page = await this.queueService.queue(caller, slug, query);
    return { items: page.items.map(toQueuedModerationItemResponse), nextCursor: page.nextCursor };
  }

  @Post('items/:id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Publish held content, or show flagged content again',
    description: 'Open flags on it are dismissed; the author is told (with the reason, if given). Audited.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ModerationItemResponseDto })
  @ApiErrors({ 403: 'FORBIDDEN', 404: 'MUNICIPALITY_NOT_FOUND, MODERATION_ITEM_NOT_FOUND', 409: 'MODERATION_ALREADY_DECIDED (details.status)' })
  async approve(
    @Param('slug') slug: string,
    @UuidParam('id') id: string,
    @Body() dto: ApproveModerationItemDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ModerationItemResponseDto> {
    return toModerationItemResponse(await this.moderation.decide(caller, slug, id, 'approve', dto.reason || null));
  }

  @Post('items/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Keep content out of public view for good',
    description: 'Open flags on it are upheld; the author is told the reason. Audited.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ModerationItemResponseDto })
  @ApiErrors({ 403: 'FORBIDDEN', 404: 'MUNICIPALITY_NOT_FOUND, MODERATION_ITEM_NOT_FOUND', 409: 'MODERATION_ALREADY_DECIDED (details.status)' })
  async reject(
    @Param('slug') slug: string,
    @UuidParam('id') id: string,
    @Body() dto: RejectModerationItemDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ModerationItemResponseDto> {
    return toModerationItemResponse(await this.moderation.decide(caller, slug, id, 'reject', dto.reason));
  }

  @Post('items/:id/unhide')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Put rejected content back in public view', description: 'The item becomes reinstated; the author is told. Audited.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ModerationItemResponseDto })
  @ApiErrors({ 403: 'FORBIDDEN', 404: 'MUNICIPALITY_NOT_FOUND, MODERATION_ITEM_NOT_FOUND', 409: 'MODERATION_NOT_REJECTED (details.status)' })
  async unhide(
    @Param('slug') slug: string,
    @UuidParam('id') id: string,
    @Body() dto: ApproveModerationItemDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ModerationItemResponseDto> {
    return toModerationItemResponse(await this.moderation.decide(caller, slug, id, 'unhide', dto.reason || null));
  }
}
