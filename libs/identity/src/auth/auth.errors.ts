import { defineErrorMessages, defineFieldErrorMessages, DomainException, TooManyRequestsError, UnauthenticatedError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  INVALID_CREDENTIALS: { en: 'Invalid email or password', fr: 'Adresse e-mail ou mot de passe incorrect' },
  TOO_MANY_LOGIN_ATTEMPTS: { en: 'Too many failed sign-in attempts; try again later', fr: 'Trop de tentatives de connexion échouées ; réessayez plus tard' },
  REFRESH_TOKEN_INVALID: { en: 'Refresh token is invalid, expired or revoked', fr: 'Le jeton de rafraîchissement est invalide, expiré ou révoqué' },
  REFRESH_TOKEN_REUSED: { en: 'Refresh token was already used; the session has been revoked', fr: 'Ce jeton de rafraîchissement a déjà servi ; la session a été révoquée' },
  TOKEN_INVALID: { en: 'This link is invalid or has expired', fr: 'Ce lien est invalide ou a expiré' },
  EMAIL_ALREADY_VERIFIED: { en: 'This email address is already verified', fr: 'Cette adresse e-mail est déjà vérifiée' },
});
defineFieldErrorMessages({
  WEAK_PASSWORD: { fr: "Ce mot de passe est trop facile à deviner : choisissez une phrase plus longue et moins prévisible" },
});

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
