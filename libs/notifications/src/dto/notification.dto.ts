import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '@app/common';

export { PageQueryDto };
import { InboxPage, NotificationView } from '../inbox/notifications.service';

/** Query-string booleans: only the words true and false (anything else fails validation). */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only unread notifications.', type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;
}

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'report.status_changed' })
  type: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  municipalityId: string | null;

  @ApiProperty({ example: 'report' })
  subjectType: string;

  @ApiProperty({ example: '8d0b6f0e-1c0a-4c51-9a55-0f7f6c1a8e11' })
  subjectId: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the texts are made of (type-specific).' })
  data: Record<string, unknown>;

  @ApiProperty({ description: "In the recipient's language." })
  title: string;

  @ApiProperty()
  body: string;

  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class InboxPageDto {
  @ApiProperty({ type: [NotificationResponseDto] })
  items: NotificationResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;

  @ApiProperty({ description: 'Unread notifications in the whole inbox (not only this page).' })
  unreadCount: number;
}

export class ReadAllResponseDto {
  @ApiProperty({ description: 'How many notifications were unread.' })
  updated: number;
}

export function toNotificationResponse(n: NotificationView): NotificationResponseDto {
  return { ...n };
}

export function toInboxPage(page: InboxPage): InboxPageDto {
  return { items: page.items.map(toNotificationResponse), nextCursor: page.nextCursor, unreadCount: page.unreadCount };
}
