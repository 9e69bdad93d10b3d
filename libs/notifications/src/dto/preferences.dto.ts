import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EMAIL_MODES, EmailMode, NOTIFICATION_CHANNELS, NOTIFICATION_TYPE_SHAPE, NotificationChannel } from '../notification.types';
import { PreferencesView } from '../preferences/preferences.service';
import type { UnsubscribeClaim } from '../preferences/unsubscribe-token';

export class ChannelSwitchesDto {
  @ApiProperty({ description: 'Shown in the in-app inbox (and pushed live).' })
  in_app: boolean;

  @ApiProperty()
  email: boolean;

  @ApiProperty({ description: 'Web push to every browser you subscribed.' })
  push: boolean;
}

export class TypePreferencesDto {
  @ApiProperty({ example: 'report.status_changed' })
  type: string;

  @ApiProperty({ type: ChannelSwitchesDto })
  channels: ChannelSwitchesDto;
}

export class PreferencesResponseDto {
  @ApiProperty({ enum: EMAIL_MODES, description: 'immediate: one mail per notification; daily_digest: one mail a day at 08:00 local time.' })
  emailMode: EmailMode;

  @ApiProperty({ description: 'Whether this server sends web push at all.' })
  pushAvailable: boolean;

  @ApiProperty({ type: [TypePreferencesDto], description: 'Every notification type; all channels are on unless turned off.' })
  types: TypePreferencesDto[];
}

export class PreferenceChangeDto {
  @ApiProperty({ example: 'report.status_changed', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(NOTIFICATION_TYPE_SHAPE, { message: 'type must look like domain.what_happened' })
  type: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS })
  @IsIn(NOTIFICATION_CHANNELS)
  channel: NotificationChannel;

  @ApiProperty()
  @IsBoolean()
  enabled: boolean;
}

export class UpdatePreferencesDto {
  @ApiPropertyOptional({ enum: EMAIL_MODES })
  @IsOptional()
  @IsIn(EMAIL_MODES)
  emailMode?: EmailMode;

  @ApiPropertyOptional({ type: [PreferenceChangeDto], maxItems: 300, description: 'Only the switches to change; the others stay as they are.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Type(() => PreferenceChangeDto)
  preferences?: PreferenceChangeDto[];
}

export class UnsubscribeResponseDto {
  @ApiProperty({ example: true })
  unsubscribed: boolean;

  @ApiProperty({ example: 'report.status_changed', description: '"*" for every type (from a digest).' })
  type: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS })
  channel: NotificationChannel;
}

/** RFC 8058 one-click POST body (form-encoded `List-Unsubscribe=One-Click`); the token is in the URL. */
export class OneClickUnsubscribeDto {
  @ApiPropertyOptional({ example: 'One-Click' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  'List-Unsubscribe'?: string;
}

export class UnsubscribeQueryDto {
  @ApiProperty({ description: 'The token of the unsubscribe link.', maxLength: 512 })
  @IsString()
  @MaxLength(512)
  token: string;
}

export function toPreferencesResponse(view: PreferencesView): PreferencesResponseDto {
  return { emailMode: view.emailMode, pushAvailable: view.pushAvailable, types: view.types.map((t) => ({ type: t.type, channels: { ...t.channels } })) };
}

export function toUnsubscribeResponse(claim: UnsubscribeClaim): UnsubscribeResponseDto {
  return { unsubscribed: true, type: claim.type, channel: claim.channel };
}
