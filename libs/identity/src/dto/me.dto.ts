import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../auth/password-policy';
import { LOCALES, Locale, UserEntity } from '../users/user.entity';

export const DISPLAY_NAME_MAX_LENGTH = 80;
/** No control characters (they break mails and logs). */
export const DISPLAY_NAME_PATTERN = /^[^\p{Cc}]+$/u;

export const trimString = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class UpdateMeDto {
  @ApiPropertyOptional({ maxLength: DISPLAY_NAME_MAX_LENGTH, example: 'Camille Martin' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  @Matches(DISPLAY_NAME_PATTERN, { message: 'displayName must not contain control characters' })
  displayName?: string;

  @ApiPropertyOptional({ enum: LOCALES, description: 'Language of the mails and notifications sent to you.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class EraseAccountDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH, description: 'Your current password, asked again before erasing.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({
    default: false,
    description:
      "false: what you contributed stays, without your name. true: your reports' and comments' texts are replaced by " +
      '"Removed at the author\'s request" and your photos are deleted; a report\'s category, place and status stay for the town\'s records.',
  })
  @IsOptional()
  @IsBoolean()
  removeContributions?: boolean;
}

export class UserProfileResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'camille@example.org' })
  email: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;

  @ApiProperty({ enum: LOCALES })
  locale: Locale;

  @ApiProperty({ description: 'Whether the email address was confirmed through the mailed link.' })
  emailVerified: boolean;

  @ApiProperty()
  isPlatformAdmin: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export function toUserProfileResponse(user: UserEntity): UserProfileResponseDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    isPlatformAdmin: user.isPlatformAdmin,
    createdAt: user.createdAt,
  };
}

export class SessionExportDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastRefreshedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  revokedReason: string | null;
}

export class PersonalDataExportResponseDto {
  @ApiProperty({ type: String, format: 'date-time' })
  exportedAt: Date;

  @ApiProperty({ type: UserProfileResponseDto })
  profile: UserProfileResponseDto;

  @ApiProperty({ type: [SessionExportDto], description: 'Sign-ins on your devices (no secrets).' })
  sessions: SessionExportDto[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'One section per part of the platform that holds data about you (memberships, residencies, reports…).',
  })
  sections: Record<string, unknown>;
}
