import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDefined, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AnnouncementView } from '../announcements/announcements.service';
import { AUDIENCE_KIND_SHAPE } from '../announcements/audience';
import { ANNOUNCEMENT_STATUSES, AnnouncementStatus } from '../announcements/announcement.entity';
import { NOTIFICATION_CHANNELS, NotificationChannel } from '../notification.types';

export class AudienceRefDto {
  @ApiProperty({ example: 'municipality.residents', maxLength: 64, description: 'An audience kind some library provides (municipality.residents, subject.followers, panel.volunteers…)' })
  @IsString()
  @MaxLength(64)
  @Matches(AUDIENCE_KIND_SHAPE)
  kind: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'report:5b2e…', description: "What the audience is drawn from (a panel id, `report:<id>`); absent for the whole town" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9:_-]+$/)
  target?: string | null;
}

export class AnnouncementTitleDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  fr: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  en: string;
}

export class AnnouncementBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  fr: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  en: string;
}

export class PreviewAnnouncementDto {
  @ApiProperty({ type: AudienceRefDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AudienceRefDto)
  audience: AudienceRefDto;
}

export class CreateAnnouncementDto extends PreviewAnnouncementDto {
  @ApiProperty({ type: AnnouncementTitleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AnnouncementTitleDto)
  title: AnnouncementTitleDto;

  @ApiProperty({ type: AnnouncementBodyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AnnouncementBodyDto)
  body: AnnouncementBodyDto;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, isArray: true, description: "The channels to use; each person's preferences (type announcement.published) narrow them" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(NOTIFICATION_CHANNELS, { each: true })
  channels: NotificationChannel[];
}

export class AnnouncementPreviewDto {
  @ApiProperty({ type: AudienceRefDto })
  audience: AudienceRefDto;

  @ApiProperty({ description: 'How many people the audience holds now', example: 41230 })
  size: number;
}

export class AudienceLabelDto {
  @ApiProperty({ example: 'Tous les habitants vérifiés de la commune' }) fr: string;
  @ApiProperty({ example: 'Every verified resident of the town' }) en: string;
}

export class AudienceKindDto {
  @ApiProperty({ example: 'district.residents' })
  kind: string;

  @ApiProperty({ type: String, nullable: true, example: '<district id>', description: 'What target it takes (null: none)' })
  target: string | null;

  @ApiProperty({ type: AudienceLabelDto })
  label: AudienceLabelDto;
}

export class AnnouncementAudienceDto {
  @ApiProperty({ example: 'municipality.residents' })
  kind: string;

  @ApiProperty({ type: String, nullable: true })
  target: string | null;

  @ApiProperty({ description: 'Its size when the announcement was sent' })
  size: number;
}

export class AnnouncementProgressDto {
  @ApiProperty() pending: number;
  @ApiProperty() sending: number;
  @ApiProperty() sent: number;
  @ApiProperty() skipped: number;
  @ApiProperty() failed: number;
}

export class AnnouncementDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ example: 'announcement.published' })
  type: string;

  @ApiProperty({ type: AnnouncementAudienceDto })
  audience: AnnouncementAudienceDto;

  @ApiProperty({ type: AnnouncementTitleDto })
  title: AnnouncementTitleDto;

  @ApiProperty({ type: AnnouncementBodyDto })
  body: AnnouncementBodyDto;

  @ApiProperty({ type: String, nullable: true })
  path: string | null;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, isArray: true })
  channels: NotificationChannel[];

  @ApiProperty({ enum: ANNOUNCEMENT_STATUSES, description: 'sending (its audience still being stored), sent (stored for everyone; mails may still be going out), cancelled' })
  status: AnnouncementStatus;

  @ApiProperty({ description: 'People stored so far' })
  recipients: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  fannedOutAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: Date | null;

  @ApiPropertyOptional({ type: AnnouncementProgressDto, description: 'Email and push deliveries by state (detail and cancel only)' })
  progress?: AnnouncementProgressDto;
}

export class AnnouncementPageDto {
  @ApiProperty({ type: [AnnouncementDto] })
  items: AnnouncementDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class CancelledAnnouncementDto extends AnnouncementDto {
  @ApiProperty({ description: 'Deliveries not yet out that were dropped' })
  dropped: number;
}

export function toAnnouncementResponse(view: AnnouncementView): AnnouncementDto {
  return { ...view };
}
