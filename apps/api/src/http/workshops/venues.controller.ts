import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { CreateRoomDto, CreateVenueDto, UpdateVenueDto, VenueResponseDto, VenuesService } from '@app/workshops';
import { ApiErrors } from '../../common/error-response.dto';

@ApiTags('workshops')
@Controller('api/v1/municipalities/:slug/venues')
export class VenuesController {
  constructor(private readonly venues: VenuesService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a venue (third places too) with its rooms; staff' })
  @ApiCreatedResponse({ type: VenueResponseDto })
  @ApiErrors(400, 403, 404, { 422: 'Location outside the municipality, room names repeated' })
  create(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: CreateVenueDto) {
    return this.venues.create(user, slug, dto);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "The town's venues and their rooms, by name" })
  @ApiOkResponse({ type: [VenueResponseDto] })
  @ApiErrors(404)
  list(@Param('slug') slug: string) {
    return this.venues.list(slug);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One venue and its rooms' })
  @ApiOkResponse({ type: VenueResponseDto })
  @ApiErrors(404)
  get(@Param('slug') slug: string, @Param('id') id: string) {
    return this.venues.get(slug, id);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a venue; staff' })
  @ApiOkResponse({ type: VenueResponseDto })
  @ApiErrors(400, 403, 404, 422)
  update(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('id') id: string, @Body() dto: UpdateVenueDto) {
    return this.venues.update(user, slug, id, dto);
  }

  @Post(':id/rooms')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a room to a venue; staff' })
  @ApiCreatedResponse({ type: VenueResponseDto })
  @ApiErrors(400, 403, 404, { 422: 'ROOM_NAME_TAKEN' })
  addRoom(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('id') id: string, @Body() dto: CreateRoomDto) {
    return this.venues.addRoom(user, slug, id, dto);
  }
}
