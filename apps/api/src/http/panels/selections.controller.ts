import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { DrawPanelDto, PanelRunResponseDto, SelectionProbabilitiesResponseDto, SelectionResponseDto, SelectionsService } from '@app/panels';

@ApiTags('panels')
@Controller('api/v1/panels/:id')
export class SelectionsController {
  constructor(private readonly selections: SelectionsService) {}

  @Get('selection-probabilities')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Each pool member's selection probability under the maximin lottery, and the minimum; staff" })
  @ApiUnprocessableEntityResponse({ description: 'QUOTAS_INFEASIBLE: names the quota that fails and by how many' })
  @ApiOkResponse({ type: SelectionProbabilitiesResponseDto })
  probabilities(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SelectionProbabilitiesResponseDto> {
    return this.selections.probabilities(user, id);
  }

  @Post('selections')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Draw the panel with the revealed seed (after the pool closed); municipality admin' })
  @ApiUnprocessableEntityResponse({ description: 'QUOTAS_INFEASIBLE: names the quota that fails and by how many' })
  @ApiCreatedResponse({ type: SelectionResponseDto })
  draw(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: DrawPanelDto): Promise<SelectionResponseDto> {
    return this.selections.draw(user, id, dto.seed);
  }

  @Get('selections')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The panel's draws; staff" })
  @ApiOkResponse({ type: [SelectionResponseDto] })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SelectionResponseDto[]> {
    return this.selections.list(user, id);
  }

  @Get('selections/:selectionId/run')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The run file of a draw, for `npm run panel:draw -- run.json`; staff' })
  @ApiOkResponse({ type: PanelRunResponseDto })
  run(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('selectionId') selectionId: string): Promise<PanelRunResponseDto> {
    return this.selections.run(user, id, selectionId);
  }
}
