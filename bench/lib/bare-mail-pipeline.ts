/**
 * The notifications benchmark's second baseline, run as its own process (as the worker is): BullMQ
 * jobs whose processor renders and sends one notification mail each with the product's own mail
 * code (renderNotificationMail, a signed unsubscribe link, NotificationMailer's SMTP pool), and
 * nothing else — no database, no rules, no live channel. What every email notification costs at
 * the least, so the product's figure can be read against it as well as against raw BullMQ.
 *
 * Reads BARE_* from the environment; prints one JSON line `{"seconds", "processed", "cpuMs"}`.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { loadConfig, redisConnectionOptions } from '../../libs/common/src';
import { renderNotificationMail, unsubscribeHeaders } from '../../libs/notifications/src/delivery/notification-mail';
import { NotificationMailer } from '../../libs/notifications/src/delivery/notification-mailer';
import { UnsubscribeTokens } from '../../libs/notifications/src/preferences/unsubscribe-token';

const TOTAL = Number(process.env.BARE_TOTAL);
const PREFIX = process.env.BARE_PREFIX!;
const CONCURRENCY = Number(process.env.BARE_CONCURRENCY);

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NOTIFICATION_SMTP_CONNECTIONS: process.env.BARE_SMTP_CONNECTIONS });
  const mailer = new NotificationMailer(config);
  const tokens = new UnsubscribeTokens(config.jwtSecret);
  const connection = redisConnectionOptions(config.redisUrl);
  const queue = new Queue('bench-bare-mail', { connection, prefix: PREFIX });
  let processed = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  // The same words and size as the product's report.resolved_followed mail.
  const worker = new Worker(
    'bench-bare-mail',
    async (job: Job<{ userId: string; n: number }>) => {
      const url = `${config.publicUrl}/reports/bench-${job.data.n}`;
      const unsubscribeUrl = `${config.publicUrl}/api/v1/notifications/unsubscribe?token=${tokens.sign({ userId: job.data.userId, type: 'report.resolved_followed', channel: 'email' })}`;
      const mail = renderNotificationMail(
        { title: `Signalement n° ${job.data.n} résolu`, body: 'Un signalement que vous suivez a été résolu : Bench pothole.', path: '', url },
        { locale: 'fr', displayName: `Follower ${job.data.n}`, municipalityName: 'Benchville', unsubscribeUrl },
      );
      await mailer.send({
        to: `bench-bare-${job.data.n}@bench.local`,
        ...mail,
        headers: unsubscribeHeaders(unsubscribeUrl),
        messageId: `<bare-${job.id}.email@${mailer.messageIdDomain}>`,
      });
      if (++processed >= TOTAL) finish();
    },
    { connection, prefix: PREFIX, concurrency: CONCURRENCY, autorun: false },
  );
  await worker.waitUntilReady();
  void worker.run();
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  for (let i = 0; i < TOTAL; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, TOTAL - i) }, (_, k) => ({
        name: 'deliver',
        data: { userId: randomUUID(), n: i + k },
        opts: { jobId: `bare-${i + k}-email`, removeOnComplete: { age: 3600, count: 100_000 } },
      })),
    );
  }
  await finished;
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ seconds, processed, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  await worker.close();
  await queue.close();
  mailer.onModuleDestroy();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
