import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password-policy';
import { LOCALES, Locale } from '../users/user.entity';
import { DISPLAY_NAME_MAX_LENGTH, DISPLAY_NAME_PATTERN, trimString } from './me.dto';

/** RFC 5321 caps a forward path at 254 characters. */
export const EMAIL_MAX_LENGTH = 254;
/** Mailed tokens are 43 base64url characters; leave room without inviting megabytes. */
const TOKEN_MAX_LENGTH = 128;

/** Emails are compared trimmed and lower-cased everywhere. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const toNormalizedEmail = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? normalizeEmail(value) : value);

export class RegisterDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille@example.org' })
  @Transform(toNormalizedEmail)
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'Refused when common or easy to guess, or when it contains your email or name.',
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ maxLength: DISPLAY_NAME_MAX_LENGTH, example: 'Camille Martin' })
  @Transform(trimString)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  @Matches(DISPLAY_NAME_PATTERN, { message: 'displayName must not contain control characters' })
  displayName: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'fr' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class LoginDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille@example.org' })
  @Transform(toNormalizedEmail)
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from sign-in or the previous refresh.', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token from the verification mail.', maxLength: TOKEN_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TOKEN_MAX_LENGTH)
  token: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille@example.org' })
  @Transform(toNormalizedEmail)
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset mail.', maxLength: TOKEN_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TOKEN_MAX_LENGTH)
  token: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'The new password (same rules as at sign-up).' })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class TokenPairResponseDto {
  @ApiProperty({ description: 'JWT to send as `Authorization: Bearer …`.' })
  accessToken: string;

  @ApiProperty({ description: 'Single-use: exchange it at /auth/refresh for a new pair.' })
  refreshToken: string;

  @ApiProperty({ description: 'Lifetime of the access token, in seconds.', example: 900 })
  expiresIn: number;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
}

export class AcceptedResponseDto {
  @ApiProperty({ example: 'If an account exists for this address, a mail is on its way.' })
  message: string;
}

export class ChangeEmailDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille.new@example.org', description: 'The new address; a link to confirm it is mailed there.' })
  @Transform(toNormalizedEmail)
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  newEmail: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH, description: 'Your current password.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH, description: 'Your current password.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'The new password (same rules as at sign-up).' })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}
