import { Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { InboxPageDto, InboxQueryDto, NotificationResponseDto, NotificationsService, ReadAllResponseDto, toInboxPage, toNotificationResponse } from '@app/notifications';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/me/notifications')
export class MeNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Your in-app notifications, newest first, with the unread count', description: 'Also pushed live on the socket topic user:{id}.' })
  @ApiOkResponse({ type: InboxPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad cursor, limit or unread)' })
  async list(@CurrentUser() caller: AuthUser, @Query() query: InboxQueryDto): Promise<InboxPageDto> {
    return toInboxPage(await this.notifications.list(caller.id, query));
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark every notification read' })
  @ApiOkResponse({ type: ReadAllResponseDto })
  async readAll(@CurrentUser() caller: AuthUser): Promise<ReadAllResponseDto> {
    return { updated: await this.notifications.markAllRead(caller.id) };
  }

  @Post(':id/read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark one notification read', description: 'Idempotent: the first read time is kept.' })
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (id is not a UUID)' })
  @ApiNotFoundResponse({ description: "NOTIFICATION_NOT_FOUND (also someone else's)" })
  async read(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<NotificationResponseDto> {
    return toNotificationResponse(await this.notifications.markRead(caller.id, id));
  }
}
