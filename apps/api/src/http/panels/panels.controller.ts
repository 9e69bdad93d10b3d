import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, PageQueryDto, Public } from '@app/common';
import { CreatePanelDto, PanelPageDto, PanelResponseDto, PanelsService, UpdatePanelDto } from '@app/panels';

@ApiTags('panels')
@Controller('api/v1')
export class PanelsController {
  constructor(private readonly panels: PanelsService) {}

  @Post('municipalities/:slug/panels')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Create a citizens' panel with its features, quotas and household rule; municipality admin" })
  @ApiCreatedResponse({ type: PanelResponseDto })
  @ApiForbiddenResponse()
  @ApiUnprocessableEntityResponse({ description: 'Inconsistent quotas (min > max, minimums over the size...)' })
  create(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: CreatePanelDto): Promise<PanelResponseDto> {
    return this.panels.create(user, slug, dto);
  }

  @Get('municipalities/:slug/panels')
  @Public()
  @ApiOperation({ summary: "A municipality's panels, newest first (rules and published hashes are public)" })
  @ApiOkResponse({ type: PanelPageDto })
  list(@Param('slug') slug: string, @Query() page: PageQueryDto): Promise<PanelPageDto> {
    return this.panels.list(slug, page);
  }

  @Patch('municipalities/:slug/panels/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a panel; rules only while the pool is open; municipality admin' })
  @ApiOkResponse({ type: PanelResponseDto })
  @ApiConflictResponse({ description: 'Pool closed, or features changed with people in the pool' })
  update(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('id') id: string, @Body() dto: UpdatePanelDto): Promise<PanelResponseDto> {
    return this.panels.update(user, slug, id, dto);
  }

  @Get('panels/:id')
  @Public()
  @ApiOperation({ summary: 'One panel' })
  @ApiOkResponse({ type: PanelResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<PanelResponseDto> {
    return this.panels.get(id);
  }

  @Post('panels/:id/pool/close')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close recruitment and publish the pool and rules hashes (the commitment); municipality admin' })
  @ApiOkResponse({ type: PanelResponseDto })
  close(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PanelResponseDto> {
    return this.panels.closePool(user, id);
  }
}
