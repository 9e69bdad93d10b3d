import { Body, Controller, Delete, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  CreatePushSubscriptionDto,
  DeletePushSubscriptionDto,
  PushSubscriptionResponseDto,
  PushSubscriptionsService,
  toPushSubscriptionResponse,
} from '@app/notifications';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/me/push-subscriptions')
export class PushSubscriptionsController {
  constructor(private readonly subscriptions: PushSubscriptionsService) {}

  @Post()
  @ApiOperation({
    summary: "Register this browser's Web Push subscription",
    description: 'The body is PushSubscription.toJSON() (endpoint and keys). Registering an endpoint again moves it to you.',
  })
  @ApiCreatedResponse({ type: PushSubscriptionResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (endpoint not an https push service URL, bad keys)' })
  @ApiUnprocessableEntityResponse({ description: 'PUSH_NOT_CONFIGURED (no VAPID keys on this server)' })
  async subscribe(@CurrentUser() caller: AuthUser, @Body() dto: CreatePushSubscriptionDto): Promise<PushSubscriptionResponseDto> {
    return toPushSubscriptionResponse(await this.subscriptions.subscribe(caller.id, dto));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Remove this browser's subscription", description: 'Idempotent; only ever removes your own.' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  unsubscribe(@CurrentUser() caller: AuthUser, @Body() dto: DeletePushSubscriptionDto): Promise<void> {
    return this.subscriptions.unsubscribe(caller.id, dto.endpoint);
  }
}
