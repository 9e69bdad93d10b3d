import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import * as argon2 from 'argon2';

/**
 * argon2id, by default with the library's defaults (64 MiB, 3 passes): above OWASP's recommended
 * floor. Test runs lower the cost (PASSWORD_HASH_*, refused outside NODE_ENV=test).
 */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    const { memoryKib, passes } = this.config.passwordHash;
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKib, timeCost: passes });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash is a failed sign-in, not a 500.
      return false;
    }
  }

  /**
   * Spends the same time as a real check and fails: used when the account does not exist, so the
   * response time does not reveal which emails are registered.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy password that matches nobody');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
