import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, MailerService } from '@app/common';
import { IdentityMailKind, IdentityMailRequested, IdentityMailsService } from '@app/identity';
import { EntityManager } from 'typeorm';

const KIND_BY_EVENT: Record<string, IdentityMailKind> = {
  'identity.verification_mail_requested': 'verification',
  'identity.password_reset_requested': 'password_reset',
};

/** Sends the verification and password-reset mails over SMTP. */
@Injectable()
@EventConsumer({ name: 'identity-mails', events: ['identity.verification_mail_requested', 'identity.password_reset_requested'] })
export class IdentityMailsConsumer implements DomainEventConsumer {
  constructor(
    private readonly mails: IdentityMailsService,
    private readonly mailer: MailerService,
  ) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const kind = KIND_BY_EVENT[event.type];
    if (!kind) return;
    const mail = await this.mails.compose(kind, event.payload as IdentityMailRequested, manager);
    if (mail) await this.mailer.send(mail);
  }
}
