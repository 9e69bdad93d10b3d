import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { createTransport, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Deterministic per delivery, so a duplicate is recognisable downstream. */
  messageId: string;
}

/**
 * The notification mails' own SMTP transport: pooled (one connection per message would cap the
 * throughput at a few hundred a second) and with bounded timeouts, as a send that hangs keeps its
 * delivery "sending". Identity's MailerService stays as it is for its few account mails.
 */
@Injectable()
export class NotificationMailer implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(mail: OutgoingMail): Promise<string> {
    // Built in memory first and handed over whole: streamed, the message would leave in one
    // socket write per line, and at a few thousand mails a second those writes are the cost.
    const composer = new MailComposer({ from: this.config.mailFrom, ...mail });
    const node = composer.compile();
    const raw = await new Promise<Buffer>((resolve, reject) => node.build((error, message) => (error ? reject(error) : resolve(message))));
    const envelope = node.getEnvelope();
    await this.pool().sendMail({ raw, envelope: { from: envelope.from || undefined, to: envelope.to } });
    return mail.messageId;
  }

  /** The domain of Message-IDs: the public host, as RFC 5322 wants one we control. */
  get messageIdDomain(): string {
    return new URL(this.config.publicUrl).hostname || 'civic.localhost';
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  // Created on first use: the API process loads this provider but never mails.
  private pool(): Transporter {
    if (!this.transport) {
      const timeout = this.config.notifications.sendTimeoutMs;
      this.transport = createTransport({
        url: this.config.smtpUrl,
        pool: true,
        maxConnections: this.config.notifications.smtpConnections,
        maxMessages: 1000,
        connectionTimeout: Math.min(timeout, 10_000),
        greetingTimeout: Math.min(timeout, 10_000),
        socketTimeout: timeout,
      });
    }
    return this.transport;
  }
}
