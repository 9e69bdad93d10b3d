import type { EmailChangedNotice } from './auth/email-change.service';
import type { Locale } from './users/user.entity';

/** Events of the identity library, added to the platform's typed event map. */
export interface IdentityMailRequested {
  userId: string;
  email: string;
  displayName: string;
  locale: Locale;
  /**
   * The single-use token the mail carries, sealed (MailTokenSeal): outbox rows are kept and
   * readable, so the token is nowhere in clear but in the mail; user_tokens has its hash.
   */
  sealedToken: string;
}

declare module '@app/common' {
  interface DomainEventMap {
    'identity.user_registered': { userId: string };
    'identity.verification_mail_requested': IdentityMailRequested;
    'identity.password_reset_requested': IdentityMailRequested;
    /** `email` is the new address, where the confirmation link goes. */
    'identity.email_change_requested': IdentityMailRequested;
    /** The account moved; `email` is the old address, which is told. */
    'identity.email_changed': EmailChangedNotice;
    'identity.user_erased': { userId: string };
    'identity.roles_changed': { municipalityId: string; userId: string; roles: string[]; department: string | null };
    'identity.residency_verified': { municipalityId: string; userId: string; method: 'code' | 'staff' };
    'identity.residency_revoked': { municipalityId: string; userId: string };
    'identity.municipality_created': { municipalityId: string; slug: string };
    'identity.municipality_updated': { municipalityId: string; slug: string; fields: string[] };
    'identity.district_changed': { municipalityId: string; districtId: string; code: string; change: 'created' | 'updated' | 'deleted' };
  }
}
