import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Long enough for any token we mail; the services say whether it is one. */
const TOKEN_MAX_LENGTH = 512;
/** The password policy's maximum, plus room: the policy names the field when it is too long. */
const PASSWORD_FIELD_MAX_LENGTH = 1024;

/** `?token=` of a mailed link. */
export class MailedTokenQueryDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(TOKEN_MAX_LENGTH)
  token: string;
}

/**
 * What the reset form posts (application/x-www-form-urlencoded). The passwords are optional here
 * so that a form sent with one missing gets the form back with the reason, not an error page.
 */
export class ResetPasswordFormDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(TOKEN_MAX_LENGTH)
  token: string;

  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX_LENGTH)
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX_LENGTH)
  passwordConfirmation?: string;
}
