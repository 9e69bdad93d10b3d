import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { createTransport, Transporter } from 'nodemailer';

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
    const info = await this.pool().sendMail({ from: this.config.mailFrom, ...mail });
    return String(info.messageId);
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
