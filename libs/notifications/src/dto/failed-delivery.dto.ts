import { ApiProperty } from '@nestjs/swagger';
import { QUEUED_CHANNELS, QueuedChannel } from '../notification.types';
import { FailedDeliveryView } from '../admin/failed-deliveries.service';

export class FailedDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The delivery id (what POST .../:id/retry takes).' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  notificationId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for a contact without an account (a report filed for them)' })
  userId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  municipalityId: string | null;

  @ApiProperty({ example: 'report.status_changed' })
  type: string;

  @ApiProperty({ enum: QUEUED_CHANNELS })
  channel: QueuedChannel;

  @ApiProperty()
  attempts: number;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  digestAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  failedAt: Date;
}

export class FailedDeliveryPageDto {
  @ApiProperty({ type: [FailedDeliveryDto] })
  items: FailedDeliveryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class RetryAllFailedResultDto {
  @ApiProperty({ description: 'How many failed deliveries were put back to pending.', example: 42 })
  retried: number;
}

export function toFailedDeliveryResponse(view: FailedDeliveryView): FailedDeliveryDto {
  return { ...view };
}
