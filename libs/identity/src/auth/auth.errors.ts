import { DomainException, TooManyRequestsError, UnauthenticatedError } from '@app/common';

/** Same message for an unknown email and a wrong password: no account enumeration. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('Invalid email or password', 'INVALID_CREDENTIALS');
  }
}

export class TooManyLoginAttemptsError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number) {
    super('Too many failed sign-in attempts; try again later', retryAfterSeconds, 'TOO_MANY_LOGIN_ATTEMPTS');
  }
}

export class InvalidRefreshTokenError extends UnauthenticatedError {
  constructor() {
    super('Refresh token is invalid, expired or revoked', 'REFRESH_TOKEN_INVALID');
  }
}

/** An already rotated refresh token came back: someone else holds the family, so all of it is revoked. */
export class RefreshTokenReusedError extends UnauthenticatedError {
  constructor() {
    super('Refresh token was already used; the session has been revoked', 'REFRESH_TOKEN_REUSED');
  }
}

/** A mailed token that is unknown, already used or expired; one answer for all three. */
export class InvalidUserTokenError extends DomainException {
  constructor() {
    super('TOKEN_INVALID', 'invalid', 'This link is invalid or has expired');
  }
}

export class EmailAlreadyVerifiedError extends DomainException {
  constructor() {
    super('EMAIL_ALREADY_VERIFIED', 'conflict', 'This email address is already verified');
  }
}
