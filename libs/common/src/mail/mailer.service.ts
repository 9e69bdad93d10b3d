import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** SMTP delivery through nodemailer to SMTP_URL. Callers decide what to send and when. */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = createTransport(config.smtpUrl, { from: config.mailFrom });
  }

  async send(message: MailMessage): Promise<string> {
    const info = await this.transport.sendMail({ from: this.config.mailFrom, ...message });
    return String(info.messageId);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
