import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/common';
import {
  OneClickUnsubscribeDto,
  PreferencesService,
  PushKeyResponseDto,
  PushSubscriptionsService,
  toUnsubscribeResponse,
  UnsubscribeQueryDto,
  UnsubscribeResponseDto,
} from '@app/notifications';
import { unsubscribedPage } from './unsubscribe-page';

/** What works without signing in: the unsubscribe link of every notification mail, and the VAPID key. */
@ApiTags('notifications')
@Controller('api/v1/notifications')
export class UnsubscribeController {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly push: PushSubscriptionsService,
  ) {}

  @Public()
  @Get('unsubscribe')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Unsubscribe link of a notification mail (no sign-in)',
    description: "Turns that notification type's email off (every type for a digest's link) and shows a confirmation page.",
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A confirmation page' })
  @ApiBadRequestResponse({ description: 'INVALID_UNSUBSCRIBE_TOKEN, VALIDATION_FAILED' })
  async unsubscribePage(@Query() query: UnsubscribeQueryDto): Promise<string> {
    return unsubscribedPage(await this.preferences.unsubscribe(query.token));
  }

  @Public()
  @Post('unsubscribe')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'One-click unsubscribe (RFC 8058, no sign-in)',
    description: 'What mail clients POST (body `List-Unsubscribe=One-Click`) to the List-Unsubscribe URL.',
  })
  @ApiOkResponse({ type: UnsubscribeResponseDto })
  @ApiBadRequestResponse({ description: 'INVALID_UNSUBSCRIBE_TOKEN, VALIDATION_FAILED' })
  async oneClick(@Query() query: UnsubscribeQueryDto, @Body() _body: OneClickUnsubscribeDto): Promise<UnsubscribeResponseDto> {
    return toUnsubscribeResponse(await this.preferences.unsubscribe(query.token));
  }

  @Public()
  @Get('push-key')
  @ApiOperation({ summary: 'The VAPID public key browsers subscribe to Web Push with (null when push is off)' })
  @ApiOkResponse({ type: PushKeyResponseDto })
  pushKey(): PushKeyResponseDto {
    return { publicKey: this.push.publicKey() };
  }
}
