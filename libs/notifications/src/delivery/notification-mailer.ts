import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { withDeadline } from './delivery-context';
import { composeMailMessage, OutgoingMail } from './mail-message';
import { OutageLog } from './outage-log';
import { SendSlots } from './send-slots';

/**
 * The notification mails' own SMTP transport: pooled (one connection per message would cap the
 * throughput at a few hundred a second) and with bounded timeouts, as a send that hangs keeps its
 * delivery "sending". Identity's MailerService stays as it is for its few account mails.
 *
 * The message is composed once (composeMailMessage: nodemailer's MailComposer, written out in one
 * pass) and handed whole to nodemailer's SMTP pool through its transport interface (`send(mail, callback)`, what nodemailer's own Mail
 * class calls). Going through `createTransport().sendMail({raw})` instead composes a second
 * message around the raw one and streams it through a pipeline — about a sixth of the CPU a mail
 * costs the worker, measured — for nothing.
 */
@Injectable()
export class NotificationMailer implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationMailer.name);
  private transport: SMTPPool | null = null;
  /** One warning when the relay starts refusing, one line when it takes mail again. */
  readonly outage: OutageLog;
  /** One per pooled connection, held until the send settles (even after its deadline passed). */
  private readonly slots: SendSlots;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const relay = new URL(config.smtpUrl);
    const hours = Math.round((config.notifications.retryWindowMs / 3_600_000) * 100) / 100;
    const cap = Math.round(config.notifications.retryMaxDelayMs / 1000);
    this.outage = new OutageLog(
      this.logger,
      // Host only: the URL may carry the relay's credentials.
      `SMTP relay ${relay.protocol}//${relay.host}`,
      `notification mails stay pending in the database and are retried (backoff up to ${cap} s) for ${hours} h after each was created`,
    );
    this.slots = new SendSlots(config.notifications.smtpConnections);
  }

  /**
   * Sends one mail once a connection is free, giving up on it after the send timeout (SendTimeoutError;
   * the socket's own timeout then ends it on the wire). The outage log hears of the relay's state
   * (a 5xx answer means it is up).
   */
  async send(mail: OutgoingMail): Promise<string> {
    await this.slots.acquire();
    const transmission = this.transmit(mail).finally(() => this.slots.release());
    try {
      const id = await withDeadline(transmission, this.config.notifications.sendTimeoutMs, 'SMTP send');
      this.outage.succeeded();
      return id;
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code === 'number' && code >= 500) this.outage.succeeded();
      else this.outage.failed(error as Error);
      throw error;
    }
  }

  private async transmit(mail: OutgoingMail): Promise<string> {
    // Built in memory first and handed over whole: streamed, the message would leave in one
    // socket write per line, and at a few thousand mails a second those writes are the cost.
    const { raw, envelope } = composeMailMessage({ from: this.config.mailFrom, ...mail });
    const pool = this.pool();
    await new Promise<void>((resolve, reject) => {
      // What the pool reads of a message: its envelope, its Message-ID, and its bytes. A Buffer
      // is a message SMTPConnection.send takes as it is (written at once, dot-stuffed).
      const message = {
        getEnvelope: () => envelope,
        messageId: () => mail.messageId,
        getHeader: (key: string) => (key.toLowerCase() === 'message-id' ? mail.messageId : undefined),
        createReadStream: () => raw,
      };
      pool.send({ data: {}, message } as unknown as Parameters<SMTPPool['send']>[0], (error) => (error ? reject(error) : resolve()));
    });
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
  private pool(): SMTPPool {
    if (!this.transport) {
      const timeout = this.config.notifications.sendTimeoutMs;
      this.transport = new SMTPPool({
        url: this.config.smtpUrl,
        maxConnections: this.config.notifications.smtpConnections,
        maxMessages: 1000,
        connectionTimeout: Math.min(timeout, 10_000),
        greetingTimeout: Math.min(timeout, 10_000),
        socketTimeout: timeout,
      });
      // Failures reach the send that hit them; this only keeps a stray 'error' from ending the process.
      this.transport.on('error', () => undefined);
    }
    return this.transport;
  }
}
