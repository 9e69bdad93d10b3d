import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { TriageCalendarDto, TriageCalendarResponseDto, TriageCalendarService } from '@app/reports';

@ApiTags('triage')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/municipalities/:slug/triage-calendar')
export class TriageCalendarController {
  constructor(private readonly calendars: TriageCalendarService) {}

  @Get()
  @ApiOperation({ summary: 'The working hours and closures service-level deadlines are counted on; staff and admins' })
  @ApiOkResponse({ type: TriageCalendarResponseDto })
  @ApiForbiddenResponse()
  get(@CurrentUser() user: AuthUser, @Param('slug') slug: string) {
    return this.calendars.get(user, slug);
  }

  @Put()
  @ApiOperation({ summary: 'Set the working calendar; municipality admin. Applies to deadlines computed from now on.' })
  @ApiOkResponse({ type: TriageCalendarResponseDto })
  @ApiBadRequestResponse({ description: 'Periods not HH:mm, not ordered or overlapping; invalid closures; unknown region' })
  @ApiForbiddenResponse()
  put(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: TriageCalendarDto) {
    return this.calendars.put(user, slug, dto);
  }
}
