import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { CreateWorkshopDto, UpdateWorkshopDto, WorkshopResponseDto, WorkshopsService } from '@app/workshops';
import { ApiErrors } from '../../common/error-response.dto';

@ApiTags('workshops')
@Controller('api/v1')
export class WorkshopsController {
  constructor(private readonly workshops: WorkshopsService) {}

  @Post('municipalities/:slug/workshops')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Create a workshop and its sessions (times in the town's timezone; series by repeat); staff or facilitator" })
  @ApiCreatedResponse({ type: WorkshopResponseDto })
  @ApiErrors(400, 403, 404, { 409: 'WORKSHOP_ROOM_TAKEN, WORKSHOP_FACILITATOR_TAKEN: names the clashing session' }, { 422: 'Times, place, capacity over the room, facilitators without the role' })
  create(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: CreateWorkshopDto) {
    return this.workshops.create(user, slug, dto);
  }

  @Patch('municipalities/:slug/workshops/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a workshop (text, format, facilitators); staff or its facilitators' })
  @ApiOkResponse({ type: WorkshopResponseDto })
  @ApiErrors(400, 403, 404, { 409: 'WORKSHOP_FACILITATOR_TAKEN' }, 422)
  update(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('id') id: string, @Body() dto: UpdateWorkshopDto) {
    return this.workshops.update(user, slug, id, dto);
  }

  @Get('workshops/:id')
  @Public()
  @ApiOperation({ summary: 'One workshop and its sessions' })
  @ApiOkResponse({ type: WorkshopResponseDto })
  @ApiErrors(404)
  get(@Param('id') id: string) {
    return this.workshops.get(id);
  }
}
