import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { PreferencesResponseDto, PreferencesService, toPreferencesResponse, UpdatePreferencesDto } from '@app/notifications';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/me/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'Your notification preferences: every type × channel, and the email mode' })
  @ApiOkResponse({ type: PreferencesResponseDto })
  async get(@CurrentUser() caller: AuthUser): Promise<PreferencesResponseDto> {
    return toPreferencesResponse(await this.preferences.get(caller.id));
  }

  @Put()
  @ApiOperation({
    summary: 'Change notification preferences',
    description: 'Sends only what changes: switches (type × channel) and/or the email mode (immediate, or one daily digest at 08:00 local time).',
  })
  @ApiOkResponse({ type: PreferencesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, UNKNOWN_NOTIFICATION_TYPE' })
  async update(@CurrentUser() caller: AuthUser, @Body() dto: UpdatePreferencesDto): Promise<PreferencesResponseDto> {
    return toPreferencesResponse(await this.preferences.update(caller.id, dto));
  }
}
