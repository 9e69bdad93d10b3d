import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { FailedDeliveriesService, FailedDeliveryPageDto, PageQueryDto, RetryAllFailedResultDto, toFailedDeliveryResponse } from '@app/notifications';
import { UuidParam } from '../../common/uuid-param';

/** A municipality's admins see and retry the failed deliveries of their own town's notifications. */
@ApiTags('municipalities')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
@ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/notifications/failed')
export class MunicipalityNotificationsController {
  constructor(private readonly failed: FailedDeliveriesService) {}

  @Get()
  @ApiOperation({ summary: "This town's notification deliveries that gave up (after MAIL_RETRY_WINDOW_HOURS of retries, or refused for good), newest first" })
  @ApiOkResponse({ type: FailedDeliveryPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad cursor or limit)' })
  async list(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Query() query: PageQueryDto): Promise<FailedDeliveryPageDto> {
    const page = await this.failed.list(caller, { municipalitySlug: slug }, query);
    return { items: page.items.map(toFailedDeliveryResponse), nextCursor: page.nextCursor };
  }

  @Post('retry-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Send every failed delivery of this town again (audited)" })
  @ApiOkResponse({ type: RetryAllFailedResultDto })
  retryAll(@CurrentUser() caller: AuthUser, @Param('slug') slug: string): Promise<RetryAllFailedResultDto> {
    return this.failed.retryAll(caller, { municipalitySlug: slug });
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Send one failed delivery of this town again (audited)', description: '`id` is the delivery id from the list.' })
  @ApiNoContentResponse({ description: 'Queued again' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (id is not a UUID)' })
  @ApiNotFoundResponse({ description: "DELIVERY_NOT_FOUND (also another town's delivery)" })
  @ApiConflictResponse({ description: 'DELIVERY_NOT_FAILED' })
  retry(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('id') id: string): Promise<void> {
    return this.failed.retry(caller, { municipalitySlug: slug }, id);
  }
}
