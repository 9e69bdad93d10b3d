import { Injectable } from '@nestjs/common';
import { TransactionService, UnauthenticatedError, ValidationError } from '@app/common';
import { UserEntity } from '../users/user.entity';
import { LoginAttemptsService } from './login-attempts.service';
import { PasswordHasher } from './password-hasher';

/** The current password given before a sensitive change was not the account's. */
export class PasswordIncorrectError extends ValidationError {
  constructor(field = 'password') {
    // 403, not 401: the session stands, and a client must not take this for a sign-out.
    super('The password is not right', [{ field, messages: [`${field} is not the account's password`] }], 'PASSWORD_INCORRECT', 'forbidden');
  }
}

/**
 * Asks for the password again before what cannot be undone or takes the account away from its
 * owner (erasure, a new e-mail address, a new password): a session left open on a shared computer
 * is not enough. Wrong guesses count towards the sign-in lockout (per account and per IP), so a
 * stolen session cannot be used to guess the password either.
 */
@Injectable()
export class PasswordConfirmation {
  constructor(
    private readonly tx: TransactionService,
    private readonly hasher: PasswordHasher,
    private readonly attempts: LoginAttemptsService,
  ) {}

  /** The account, once `password` is its password; PASSWORD_INCORRECT (403) otherwise. */
  async confirm(userId: string, password: string, ip?: string, field = 'password'): Promise<UserEntity> {
    const user = await this.tx.manager.findOne(UserEntity, { where: { id: userId } });
    if (!user || user.deletedAt) throw new UnauthenticatedError();
    await this.attempts.begin(user.email, ip);
    // An account without a password (none today) proves nothing by one: it sets one through the reset link first.
    const ok = user.passwordHash ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDummy(password);
    if (!ok) throw new PasswordIncorrectError(field);
    await this.attempts.succeeded(user.email, ip);
    return user;
  }
}
