import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MailMessage } from '@app/common';
import { EntityManager } from 'typeorm';
import { UserTokenPurpose } from '../auth/user-token.entity';
import { CHANGE_EMAIL_TTL_HOURS, RESET_PASSWORD_TTL_HOURS, UserTokensService, VERIFY_EMAIL_TTL_HOURS } from '../auth/user-tokens.service';
import type { EmailChangedNotice } from '../auth/email-change.service';
import { IdentityMailRequested } from '../identity.events';
import {
  AccountMailInput,
  RenderedMail,
  renderEmailChangedNotice,
  renderEmailChangeMail,
  renderPasswordResetMail,
  renderVerificationMail,
} from './identity-mails';

export type IdentityMailKind = 'verification' | 'password_reset' | 'email_change';

const KINDS: Record<IdentityMailKind, { purpose: UserTokenPurpose; path: string; validHours: number; render: (i: AccountMailInput) => RenderedMail }> = {
  verification: { purpose: 'verify_email', path: '/verify-email', validHours: VERIFY_EMAIL_TTL_HOURS, render: renderVerificationMail },
  password_reset: { purpose: 'reset_password', path: '/reset-password', validHours: RESET_PASSWORD_TTL_HOURS, render: renderPasswordResetMail },
  // The same page as a verification: POST /auth/verify-email takes either token.
  email_change: { purpose: 'change_email', path: '/verify-email', validHours: CHANGE_EMAIL_TTL_HOURS, render: renderEmailChangeMail },
};

/** Recorded by the release before tokens were sealed: the token in clear (mailed all the same). */
type LegacyMailRequest = IdentityMailRequested & { token?: string };

/** Turns an identity mail request into the message to send, in the person's language. */
@Injectable()
export class IdentityMailsService {
  private readonly logger = new Logger(IdentityMailsService.name);

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
    const { sealedToken, token: legacyToken } = request as LegacyMailRequest;
    const token = sealedToken === undefined ? (legacyToken ?? null) : this.tokens.open(sealedToken, request.userId, purpose);
    if (token === null) {
      // Sealed under another JWT_SECRET (rotated since), or not by us: there is no link to send.
      this.logger.warn({ userId: request.userId, kind }, 'Identity mail skipped: its token could not be opened');
      return null;
    }
    const owner = await this.tokens.peek(manager, token, purpose);
    if (owner !== request.userId) return null;
    const link = `${this.config.publicUrl}${path}?token=${encodeURIComponent(token)}`;
    const mail = render({ locale: request.locale, displayName: request.displayName, link, validHours });
    return { to: request.email, ...mail, headers: { 'Auto-Submitted': 'auto-generated' } };
  }

  /** The notice to the address an account just left. Always sent: the change has happened. */
  composeEmailChangedNotice(notice: EmailChangedNotice): MailMessage {
    const mail = renderEmailChangedNotice({ locale: notice.locale, displayName: notice.displayName, newEmail: notice.newEmail });
    return { to: notice.email, ...mail, headers: { 'Auto-Submitted': 'auto-generated' } };
  }
}
