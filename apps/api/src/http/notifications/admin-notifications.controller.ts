import { Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { FailedDeliveriesService, FailedDeliveryPageDto, PageQueryDto, RetryAllFailedResultDto, toFailedDeliveryResponse } from '@app/notifications';
import { UuidParam } from '../../common/uuid-param';
import { JOB_STATES, JobState, QueueStatsService } from './queue-stats.service';

class QueueCountsDto {
  @ApiProperty({ example: 'notification-deliveries' })
  name: string;

  @ApiProperty({ type: 'object', properties: Object.fromEntries(JOB_STATES.map((s) => [s, { type: 'integer' }])) })
  counts: Record<JobState, number>;
}

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@ApiForbiddenResponse({ description: 'FORBIDDEN (platform admins only)' })
@Controller('api/v1/admin')
export class AdminNotificationsController {
  constructor(
    private readonly failed: FailedDeliveriesService,
    private readonly queues: QueueStatsService,
  ) {}

  @Get('notifications/failed')
  @ApiOperation({ summary: 'Notification deliveries that gave up after their retries, newest first' })
  @ApiOkResponse({ type: FailedDeliveryPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad cursor or limit)' })
  async listFailed(@CurrentUser() caller: AuthUser, @Query() query: PageQueryDto): Promise<FailedDeliveryPageDto> {
    const page = await this.failed.list(caller, { platform: true }, query);
    return { items: page.items.map(toFailedDeliveryResponse), nextCursor: page.nextCursor };
  }

  @Post('notifications/:id/retry')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Send a failed delivery again', description: '`id` is the delivery id from the failed list.' })
  @ApiNoContentResponse({ description: 'Queued again' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (id is not a UUID)' })
  @ApiNotFoundResponse({ description: 'DELIVERY_NOT_FOUND' })
  @ApiConflictResponse({ description: 'DELIVERY_NOT_FAILED' })
  retry(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<void> {
    return this.failed.retry(caller, { platform: true }, id);
  }

  @Post('notifications/failed/retry-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send every failed delivery again', description: 'After an outage longer than MAIL_RETRY_WINDOW_HOURS, say. Audited.' })
  @ApiOkResponse({ type: RetryAllFailedResultDto })
  retryAll(@CurrentUser() caller: AuthUser): Promise<RetryAllFailedResultDto> {
    return this.failed.retryAll(caller, { platform: true });
  }

  @Get('queues')
  @ApiOperation({ summary: 'Jobs per state in every queue', description: 'The same data as the Bull Board dashboard at /admin/queues.' })
  @ApiOkResponse({ type: [QueueCountsDto] })
  queueCounts(@CurrentUser() caller: AuthUser): Promise<QueueCountsDto[]> {
    return this.queues.counts(caller);
  }
}
