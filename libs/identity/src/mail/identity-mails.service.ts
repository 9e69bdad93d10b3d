import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MailMessage } from '@app/common';
import { EntityManager } from 'typeorm';
import { UserTokenPurpose } from '../auth/user-token.entity';
import { RESET_PASSWORD_TTL_HOURS, UserTokensService, VERIFY_EMAIL_TTL_HOURS } from '../auth/user-tokens.service';
import { IdentityMailRequested } from '../identity.events';
import { AccountMailInput, RenderedMail, renderPasswordResetMail, renderVerificationMail } from './identity-mails';

export type IdentityMailKind = 'verification' | 'password_reset';

const KINDS: Record<IdentityMailKind, { purpose: UserTokenPurpose; path: string; validHours: number; render: (i: AccountMailInput) => RenderedMail }> = {
  verification: { purpose: 'verify_email', path: '/verify-email', validHours: VERIFY_EMAIL_TTL_HOURS, render: renderVerificationMail },
  password_reset: { purpose: 'reset_password', path: '/reset-password', validHours: RESET_PASSWORD_TTL_HOURS, render: renderPasswordResetMail },
};

/** Turns an identity mail request into the message to send, in the person's language. */
@Injectable()
export class IdentityMailsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: UserTokensService,
  ) {}

  /**
   * The mail for this request, or null when it no longer makes sense: the token was used, has
   * expired, or went with an erased account. Mailing a dead link would only confuse.
   */
  async compose(kind: IdentityMailKind, request: IdentityMailRequested, manager: EntityManager): Promise<MailMessage | null> {
    const { purpose, path, validHours, render } = KINDS[kind];
    const owner = await this.tokens.peek(manager, request.token, purpose);
    if (owner !== request.userId) return null;
    const link = `${this.config.publicUrl}${path}?token=${encodeURIComponent(request.token)}`;
    const mail = render({ locale: request.locale, displayName: request.displayName, link, validHours });
    return { to: request.email, ...mail, headers: { 'Auto-Submitted': 'auto-generated' } };
  }
}
