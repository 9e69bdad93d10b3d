import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, MailerService } from '@app/common';
import { EmailChangedNotice, IdentityMailKind, IdentityMailRequested, IdentityMailsService } from '@app/identity';
import { EntityManager } from 'typeorm';

const KIND_BY_EVENT: Record<string, IdentityMailKind> = {
  'identity.verification_mail_requested': 'verification',
  'identity.password_reset_requested': 'password_reset',
  'identity.email_change_requested': 'email_change',
};

/** Sends the account mails over SMTP: verification, password reset, a new address to confirm, and the old one told. */
@Injectable()
@EventConsumer({
  name: 'identity-mails',
  events: ['identity.verification_mail_requested', 'identity.password_reset_requested', 'identity.email_change_requested', 'identity.email_changed'],
})
export class IdentityMailsConsumer implements DomainEventConsumer {
  constructor(
    private readonly mails: IdentityMailsService,
    private readonly mailer: MailerService,
  ) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    if (event.type === 'identity.email_changed') {
      await this.mailer.send(this.mails.composeEmailChangedNotice(event.payload as EmailChangedNotice));
      return;
    }
    const kind = KIND_BY_EVENT[event.type];
    if (!kind) return;
    const mail = await this.mails.compose(kind, event.payload as IdentityMailRequested, manager);
    if (mail) await this.mailer.send(mail);
  }
}
