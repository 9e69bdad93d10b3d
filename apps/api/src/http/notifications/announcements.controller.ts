import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  AnnouncementDto,
  AnnouncementPageDto,
  AnnouncementPreviewDto,
  AnnouncementsService,
  AudienceKindDto,
  CancelledAnnouncementDto,
  CreateAnnouncementDto,
  PageQueryDto,
  PreviewAnnouncementDto,
  toAnnouncementResponse,
} from '@app/notifications';
import { ApiErrors } from '../../common/error-response.dto';
import { UuidParam } from '../../common/uuid-param';

/** Staff of a town send announcements to an audience, preview its size, follow and cancel them. */
@ApiTags('municipalities')
@ApiBearerAuth()
@ApiErrors({ 403: 'FORBIDDEN: not staff of this municipality', 404: 'MUNICIPALITY_NOT_FOUND' })
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  @Get('audiences')
  @ApiOperation({ summary: 'The audiences an announcement can address (every library\'s), with their labels' })
  @ApiOkResponse({ type: [AudienceKindDto] })
  async audiences(@CurrentUser() caller: AuthUser, @Param('slug') slug: string): Promise<AudienceKindDto[]> {
    const kinds = await this.announcements.audienceKinds(caller, slug);
    return kinds.map((k) => ({ kind: k.kind, target: k.target, label: { fr: k.label.fr, en: k.label.en } }));
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'How many people an audience holds now (nothing is sent)' })
  @ApiOkResponse({ type: AnnouncementPreviewDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, UNKNOWN_AUDIENCE', 422: 'AUDIENCE_TARGET_INVALID' })
  async preview(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: PreviewAnnouncementDto): Promise<AnnouncementPreviewDto> {
    const result = await this.announcements.preview(caller, slug, { kind: dto.audience.kind, target: dto.audience.target ?? null });
    return { audience: { kind: result.audience.kind, target: result.audience.target }, size: result.size };
  }

  @Post()
  @ApiOperation({
    summary: 'Send an announcement to an audience (audited)',
    description: "Stored at once; the worker stores everyone's in-app copy and sends email and push in the bulk lane, under each person's preferences for `announcement.published`.",
  })
  @ApiCreatedResponse({ type: AnnouncementDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, UNKNOWN_AUDIENCE', 422: 'AUDIENCE_TARGET_INVALID' })
  async create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    const view = await this.announcements.create(caller, slug, {
      audience: { kind: dto.audience.kind, target: dto.audience.target ?? null },
      title: { fr: dto.title.fr, en: dto.title.en },
      body: { fr: dto.body.fr, en: dto.body.en },
      channels: dto.channels,
    });
    return toAnnouncementResponse(view);
  }

  @Get()
  @ApiOperation({ summary: "This town's announcements, newest first" })
  @ApiOkResponse({ type: AnnouncementPageDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED (bad cursor or limit)' })
  async list(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Query() query: PageQueryDto): Promise<AnnouncementPageDto> {
    const page = await this.announcements.list(caller, slug, query);
    return { items: page.items.map(toAnnouncementResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One announcement, with its deliveries by state' })
  @ApiOkResponse({ type: AnnouncementDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED (id is not a UUID)', 404: "ANNOUNCEMENT_NOT_FOUND (also another town's)" })
  async get(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('id') id: string): Promise<AnnouncementDto> {
    return toAnnouncementResponse(await this.announcements.get(caller, slug, id));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop an announcement: what has not gone out yet is dropped (audited)' })
  @ApiOkResponse({ type: CancelledAnnouncementDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED (id is not a UUID)', 404: 'ANNOUNCEMENT_NOT_FOUND', 409: 'ANNOUNCEMENT_CANCELLED' })
  async cancel(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('id') id: string): Promise<CancelledAnnouncementDto> {
    const view = await this.announcements.cancel(caller, slug, id);
    return { ...toAnnouncementResponse(view), dropped: view.dropped };
  }
}
