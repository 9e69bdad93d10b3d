import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { AddSessionsDto, RosterEntryDto, SessionResponseDto, SessionsService, UpdateSessionDto } from '@app/workshops';
import { ApiErrors } from '../../common/error-response.dto';

@ApiTags('workshops')
@Controller('api/v1')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('workshops/:id/sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Add sessions (or a series) to a workshop; staff or its facilitators" })
  @ApiCreatedResponse({ type: [SessionResponseDto] })
  @ApiErrors(400, 403, 404, { 409: 'WORKSHOP_ROOM_TAKEN, WORKSHOP_FACILITATOR_TAKEN: names the clashing session' }, 422)
  add(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddSessionsDto) {
    return this.sessions.add(user, id, dto);
  }

  @Get('sessions/:id')
  @Public()
  @ApiOperation({ summary: 'One session: times (UTC and local), place, seats left' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiErrors(404)
  get(@Param('id') id: string) {
    return this.sessions.get(id);
  }

  @Patch('sessions/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Move a session, change its place or capacity; registered and waiting people are told of a move' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiErrors(400, 403, 404, { 409: 'WORKSHOP_ROOM_TAKEN, WORKSHOP_FACILITATOR_TAKEN, WORKSHOP_STATE' }, 422)
  update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateSessionDto) {
    return this.sessions.update(user, id, dto);
  }

  @Post('sessions/:id/cancel')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Cancel a session; registered and waiting people are told' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiErrors(403, 404)
  cancel(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.sessions.cancel(user, id);
  }

  @Get('sessions/:id/registrations')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The session's roster in arrival order, with door codes and names; its facilitators and the town's staff" })
  @ApiOkResponse({ type: [RosterEntryDto] })
  @ApiErrors(403, 404)
  roster(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.sessions.roster(user, id);
  }
}
