import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import {
  baseDataSourceOptions,
  domainEventJobId,
  DomainEventJobData,
  OutboxEventEntity,
  OutboxService,
  QUEUES,
  redisConnectionOptions,
  TransactionService,
} from '@app/common';
import { IdentityMailRequested, MailTokenSeal } from '@app/identity';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainEventsProcessor } from '../../apps/worker/src/outbox/domain-events.processor';
import { OutboxHousekeepingService } from '../../apps/worker/src/outbox/outbox-housekeeping.service';
import { OutboxRelayService } from '../../apps/worker/src/outbox/outbox-relay.service';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { startWorkerProcess, WorkerProcess } from '../utils/worker-process';

/**
 * The delivery guarantees of the outbox, end to end: PostgreSQL → relay → BullMQ → processor →
 * the real identity mail consumer → SMTP.
 *
 * This suite runs in a database and a queue prefix of its own: other suites start workers of
 * their own, and a relay or processor of theirs would take our events (and mail them to their
 * SMTP capture), or make a "woken by NOTIFY, not by polling" measurement meaningless.
 */
const MAIL_EVENT = 'identity.verification_mail_requested';
/** The identity mail consumer's stable name (part of the idempotency key). */
const MAIL_CONSUMER = 'identity-mails';

// `testTimeout` in a Jest project entry is not applied; these tests wait on real timers.
jest.setTimeout(60_000);

describe('transactional outbox', () => {
  let dataSource: DataSource;
  let tx: TransactionService;
  const outbox = new OutboxService();
  let queue: Queue<DomainEventJobData>;
  const smtp = new SmtpCapture();
  let workerEnv: Record<string, string>;
  let env: IsolatedEnv;
  let databaseUrl: string;
  let queuePrefix: string;

  beforeAll(async () => {
    env = await isolatedEnv('outbox', { SMTP_URL: await smtp.start() });
    ({ databaseUrl, queuePrefix } = env);
    dataSource = await new DataSource({
      ...baseDataSourceOptions(databaseUrl),
      entities: [OutboxEventEntity],
    }).initialize();
    tx = new TransactionService(dataSource);
    queue = new Queue(QUEUES.domainEvents, { connection: redisConnectionOptions(env.redisUrl), prefix: queuePrefix });
    workerEnv = env.env;
  });

  afterAll(async () => {
    await queue?.close();
    await dataSource?.destroy();
    await smtp.stop();
    await env?.teardown();
  });

  /** The worker's JWT_SECRET is this run's, so it opens what this seals. */
  const seal = new MailTokenSeal(process.env.JWT_SECRET!);
  const clearTokens = new Map<string, string>();

  /**
   * A committed account with a live verification token, so the mail consumer (which only mails
   * tokens that are still usable) does send the mail for it. No event is recorded here.
   */
  async function mailableUser(): Promise<IdentityMailRequested> {
    const email = `outbox-${randomUUID()}@test.local`;
    const [{ id }]: Array<{ id: string }> = await dataSource.query(
      `INSERT INTO users (email, display_name, locale) VALUES ($1, 'Outbox Test', 'en') RETURNING id`,
      [email],
    );
    const token = randomBytes(32).toString('base64url');
    await dataSource.query(
      `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
       VALUES ($1, 'verify_email', $2, now() + interval '1 day')`,
      [id, createHash('sha256').update(token).digest('hex')],
    );
    clearTokens.set(id, token);
    return { userId: id, email, displayName: 'Outbox Test', locale: 'en', sealedToken: seal.seal(token, { userId: id, purpose: 'verify_email' }) };
  }

  function recordMailEvent(request: IdentityMailRequested): Promise<string> {
    return tx.run((manager) => outbox.record(manager, MAIL_EVENT, request, { aggregateType: 'user', aggregateId: request.userId }));
  }

  async function publishedAt(eventId: string): Promise<Date | null> {
    const [row]: Array<{ published_at: Date | null }> = await dataSource.query(`SELECT published_at FROM outbox_events WHERE id = $1`, [eventId]);
    return row.published_at;
  }

  async function consumptions(eventId: string): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await dataSource.query(
      `SELECT count(*)::int AS n FROM event_consumptions WHERE consumer = $1 AND event_id = $2`,
      [MAIL_CONSUMER, eventId],
    );
    return n;
  }

  const mailTo = (address: string) => (mail: { to: string[] }) => mail.to.includes(address);

  /**
   * The positive signal before any "and nothing more" assertion: every event is published and
   * BullMQ holds no job waiting, delayed or running, so a duplicate would already have arrived.
   */
  async function settled(): Promise<void> {
    await eventually(async () => {
      const [{ n }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL`);
      if (n > 0) return false;
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(counts).every((c) => c === 0);
    }, 'the outbox and the queue to be drained');
  }

  /** An event written with the notify trigger switched off (replica role), as by a restore or another tool. */
  function silentEvent(): Promise<string> {
    return dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
         VALUES ('identity.user_registered', 'user', $1, $2) RETURNING id`,
        [randomUUID(), { userId: randomUUID() }],
      );
      return row.id;
    });
  }

  describe('with one worker', () => {
    let worker: TestWorker;
    beforeAll(async () => {
      worker = await startTestWorker({ env: workerEnv });
    });
    afterAll(() => worker.close());

    it('runs the domain-events worker with the lock settings of its config', () => {
      const { worker: bullWorker } = worker.app.get(DomainEventsProcessor);
      // QUEUE_LOCK_MS=3000 in tests: a crashed worker's job is taken over within seconds.
      expect(bullWorker.opts).toMatchObject({ lockDuration: 3000, stalledInterval: 3000, lockRenewTime: 1500 });
      // DOMAIN_EVENTS_CONCURRENCY's default.
      expect(bullWorker.concurrency).toBe(50);
    });

    it('never delivers an event whose transaction rolled back', async () => {
      const request = await mailableUser();
      let recordedId: string | undefined;
      await expect(
        tx.run(async (manager) => {
          recordedId = await outbox.record(manager, MAIL_EVENT, request, { aggregateType: 'user', aggregateId: request.userId });
          throw new Error('rolled back on purpose');
        }),
      ).rejects.toThrow('rolled back on purpose');
      expect(recordedId).toMatch(/^\d+$/);

      const rows: unknown[] = await dataSource.query(`SELECT id FROM outbox_events WHERE id = $1 OR payload->>'email' = $2`, [
        recordedId,
        request.email,
      ]);
      expect(rows).toEqual([]);

      // The same request, committed, is mailed: the relay and the consumer were working. Once
      // everything is drained, that one mail is the only one: the rolled-back event never went.
      const committedId = await recordMailEvent(request);
      await smtp.waitFor(mailTo(request.email));
      await settled();
      expect(smtp.to(request.email)).toHaveLength(1);
      expect(await consumptions(committedId)).toBe(1);
      expect(await consumptions(recordedId!)).toBe(0);
    });

    it('delivers a committed event exactly once', async () => {
      const request = await mailableUser();
      const eventId = await recordMailEvent(request);
      const mail = await smtp.waitFor(mailTo(request.email));
      expect(mail.text).toContain(clearTokens.get(request.userId));
      await settled();
      expect(smtp.to(request.email)).toHaveLength(1);
      expect(await consumptions(eventId)).toBe(1);
      expect(await publishedAt(eventId)).toBeInstanceOf(Date);
    });

    it('consumes an event once however many times it is enqueued', async () => {
      const request = await mailableUser();
      const eventId = await recordMailEvent(request);
      await smtp.waitFor(mailTo(request.email));
      const jobId = domainEventJobId(eventId, MAIL_CONSUMER);
      const first = await eventually(async () => {
        const job = await queue.getJob(jobId);
        return job?.finishedOn ? job : null;
      }, 'the first job to finish');
      expect(first.returnvalue).toBe('handled');

      // Relayed again while its job is still kept: the same job id, so BullMQ adds nothing.
      await dataSource.query(`UPDATE outbox_events SET published_at = NULL WHERE id = $1`, [eventId]);
      await eventually(() => publishedAt(eventId), 'the event to be relayed again');
      const kept = await queue.getJob(jobId);
      expect(kept!.finishedOn).toBe(first.finishedOn);
      expect(kept!.processedOn).toBe(first.processedOn);

      // Relayed again after its job is gone (retention over): a new job runs and does nothing.
      await first.remove();
      await dataSource.query(`UPDATE outbox_events SET published_at = NULL WHERE id = $1`, [eventId]);
      const rerun = await eventually(async () => {
        const job = await queue.getJob(jobId);
        return job?.finishedOn ? job : null;
      }, 'the re-enqueued job to finish');
      expect(rerun.returnvalue).toBe('already-handled');

      // And a duplicate under another id, as a replay by hand would make.
      const duplicate = await queue.add(MAIL_EVENT, { eventId, consumer: MAIL_CONSUMER, type: MAIL_EVENT }, { jobId: `replay-${eventId}` });
      const replayed = await eventually(async () => {
        const job = await Job.fromId<DomainEventJobData>(queue, duplicate.id!);
        return job?.finishedOn ? job : null;
      }, 'the duplicate job to finish');
      expect(replayed.returnvalue).toBe('already-handled');

      await settled();
      expect(smtp.to(request.email)).toHaveLength(1);
      expect(await consumptions(eventId)).toBe(1);
    });

    it('fails a job that names no known consumer, visibly', async () => {
      const request = await mailableUser();
      const eventId = await tx.run((manager) =>
        outbox.record(manager, 'identity.user_registered', { userId: request.userId }, { aggregateType: 'user', aggregateId: request.userId }),
      );
      const job = await queue.add('identity.user_registered', { eventId, consumer: 'no-such-consumer', type: 'identity.user_registered' }, {
        jobId: `unknown-${eventId}`,
        attempts: 1,
      });
      const failed = await eventually(async () => {
        const current = await Job.fromId<DomainEventJobData>(queue, job.id!);
        return current?.failedReason ? current : null;
      }, 'the job to fail');
      expect(failed.failedReason).toContain('No event consumer named "no-such-consumer"');
    });

    it('housekeeping deletes published events after a week and consumption records after a month', async () => {
      const insertEvent = async (publishedDaysAgo: number): Promise<string> => {
        const [{ id }]: Array<{ id: string }> = await dataSource.query(
          `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload, occurred_at, published_at)
           VALUES ('identity.user_registered', 'user', $1, '{}', now() - make_interval(days => $2), now() - make_interval(days => $2))
           RETURNING id`,
          [randomUUID(), publishedDaysAgo],
        );
        return id;
      };
      const insertConsumption = async (daysAgo: number): Promise<string> => {
        const eventId = String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
        await dataSource.query(
          `INSERT INTO event_consumptions (consumer, event_id, consumed_at) VALUES ('housekeeping-test', $1, now() - make_interval(days => $2))`,
          [eventId, daysAgo],
        );
        return eventId;
      };
      const [oldEvent, recentEvent] = [await insertEvent(8), await insertEvent(6)];
      const [oldConsumption, recentConsumption] = [await insertConsumption(31), await insertConsumption(29)];

      const purged = await worker.app.get(OutboxHousekeepingService).purge();
      expect(purged.events).toBeGreaterThanOrEqual(1);
      expect(purged.consumptions).toBeGreaterThanOrEqual(1);
      const events: Array<{ id: string }> = await dataSource.query(`SELECT id FROM outbox_events WHERE id = ANY($1::bigint[])`, [
        [oldEvent, recentEvent],
      ]);
      expect(events.map((e) => e.id)).toEqual([recentEvent]);
      const kept: Array<{ event_id: string }> = await dataSource.query(
        `SELECT event_id FROM event_consumptions WHERE consumer = 'housekeeping-test' AND event_id = ANY($1::bigint[])`,
        [[oldConsumption, recentConsumption]],
      );
      expect(kept.map((c) => c.event_id)).toEqual([recentConsumption]);
    });
  });

  describe('relay wake-ups', () => {
    it('relays at once on NOTIFY, long before the poll, and again after its listener is cut', async () => {
      const worker = await startTestWorker({ env: { ...workerEnv, OUTBOX_POLL_MS: '60000' } });
      try {
        const relay = worker.app.get(OutboxRelayService);
        await relay.idle();
        // Written with the notify trigger switched off (replica role): with a one-minute poll,
        // nothing picks it up...
        const silentId = await silentEvent();
        await relay.idle();
        expect(await publishedAt(silentId)).toBeNull();

        // ...until an event recorded the normal way notifies the relay, which drains both.
        const request = await mailableUser();
        const started = Date.now();
        const eventId = await recordMailEvent(request);
        // The poll is a minute away: well under it, only NOTIFY can have woken the relay (the
        // bound is loose for a loaded machine, not a latency target).
        await eventually(() => publishedAt(eventId), 'the notified event to be relayed', 15_000);
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(await publishedAt(silentId)).toBeInstanceOf(Date);
        await smtp.waitFor(mailTo(request.email));

        // The LISTEN connection dies (failover, idle killer): the relay listens again.
        const [{ pid: oldPid }]: Array<{ pid: number }> = await dataSource.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'civic-outbox-relay' AND datname = current_database()`,
        );
        await dataSource.query(`SELECT pg_terminate_backend($1)`, [oldPid]);
        await eventually(async () => {
          const rows: Array<{ pid: number }> = await dataSource.query(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'civic-outbox-relay' AND datname = current_database()`,
          );
          return rows.length === 1 && rows[0].pid !== oldPid && relay.listening;
        }, 'the relay to listen again');
        const again = await mailableUser();
        const restarted = Date.now();
        const againId = await recordMailEvent(again);
        await eventually(() => publishedAt(againId), 'an event after the reconnection to be relayed', 15_000);
        expect(Date.now() - restarted).toBeLessThan(15_000);
      } finally {
        await worker.close();
      }
    });

    it('relays by polling when no notification comes', async () => {
      const worker = await startTestWorker({ env: { ...workerEnv, OUTBOX_POLL_MS: '200' } });
      try {
        await worker.app.get(OutboxRelayService).idle();
        // The notify trigger is off for this write (replica role): only the poll can find it.
        const id = await silentEvent();
        await eventually(() => publishedAt(id), 'the silent event to be polled', 5000);
      } finally {
        await worker.close();
      }
    });
  });

  describe('several workers', () => {
    it('two relays and processors at once deliver each event exactly once', async () => {
      const workers = await Promise.all([startTestWorker({ env: workerEnv }), startTestWorker({ env: workerEnv })]);
      try {
        const requests = await Promise.all(Array.from({ length: 30 }, () => mailableUser()));
        const eventIds = await Promise.all(requests.map((r) => recordMailEvent(r)));
        await Promise.all(requests.map((r) => smtp.waitFor(mailTo(r.email), 30000)));
        await settled();
        for (const r of requests) expect(smtp.to(r.email)).toHaveLength(1);
        const [{ n }]: Array<{ n: number }> = await dataSource.query(
          `SELECT count(*)::int AS n FROM event_consumptions WHERE consumer = $1 AND event_id = ANY($2::bigint[])`,
          [MAIL_CONSUMER, eventIds],
        );
        expect(n).toBe(30);
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
    });
  });

  describe('crash', () => {
    let running: WorkerProcess[] = [];
    afterEach(async () => {
      await Promise.all(running.map((w) => w.stop()));
      running = [];
      smtp.onData = undefined;
      smtp.responseDelayMs = 0;
    });

    it('delivers exactly once when the worker is SIGKILLed mid-delivery and restarted', async () => {
      const started = Date.now();
      const request = await mailableUser();
      let sending!: () => void;
      const midDelivery = new Promise<void>((resolve) => (sending = resolve));
      // Hold the SMTP reply: the mail is on the wire but not accepted when the worker dies.
      smtp.responseDelayMs = 5000;
      smtp.onData = (mail) => {
        if (mail.to.includes(request.email)) sending();
      };

      const first = await startWorkerProcess({ env: workerEnv });
      running.push(first);
      const eventId = await recordMailEvent(request);
      await midDelivery;
      first.kill('SIGKILL');
      expect(await first.exited()).toBe('SIGKILL');
      smtp.onData = undefined;
      smtp.responseDelayMs = 0;
      expect(await consumptions(eventId)).toBe(0);

      const second = await startWorkerProcess({ env: workerEnv });
      running.push(second);
      // The job is still "active" under the dead worker's lock; once that expires
      // (QUEUE_LOCK_MS=3000) the stalled check hands it to the new worker.
      await smtp.waitFor(mailTo(request.email), 30000);
      await eventually(async () => (await queue.getJob(domainEventJobId(eventId, MAIL_CONSUMER)))?.finishedOn, 'the taken-over job to finish');
      await settled();
      expect(smtp.to(request.email)).toHaveLength(1);
      expect(await consumptions(eventId)).toBe(1);
      const job = await queue.getJob(domainEventJobId(eventId, MAIL_CONSUMER));
      expect(job!.returnvalue).toBe('handled');
      process.stdout.write(`SIGKILL delivery test: ${Date.now() - started} ms\n`);
    });

    it('keeps events unpublished while Redis is unreachable, without crashing, and delivers them once it is back', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const cut = await startWorkerProcess({ env: { ...workerEnv, REDIS_URL: `redis://127.0.0.1:${closedPort}`, LOG_LEVEL: 'warn' } });
      running.push(cut);
      const request = await mailableUser();
      const eventId = await recordMailEvent(request);
      // The pass gives up on Redis after QUEUE_LOCK_MS (3 s here) and rolls back.
      await eventually(async () => cut.output().includes('Outbox relay pass failed'), 'the relay to report the outage', 15000);
      expect(await publishedAt(eventId)).toBeNull();
      expect(cut.alive()).toBe(true);
      cut.kill('SIGKILL');
      await cut.exited();

      const worker = await startTestWorker({ env: workerEnv });
      try {
        await smtp.waitFor(mailTo(request.email));
        await settled();
        expect(smtp.to(request.email)).toHaveLength(1);
        expect(await publishedAt(eventId)).toBeInstanceOf(Date);
      } finally {
        await worker.close();
      }
    });
  });
});
