/**
 * The announcement part of `npm run bench -- notifications`: BENCH_ANNOUNCEMENT verified residents
 * (default 100,000) told by one announcement (in-app + email) through the product — sent with
 * AnnouncementsService.announce() in this process, fanned out and mailed by a real worker process
 * into an SMTP sink — while password-reset mails are requested at BENCH_RESET_RATE per second
 * (default 5) with PasswordResetService.requestReset(), the product's own path, minus HTTP. The
 * same resets are measured first with nothing else running. The worker runs as `npm start` and
 * docker compose run it — a WORKER_ROLE=main and a WORKER_ROLE=bulk process — unless
 * BENCH_WORKER_SPLIT=0 (one process doing everything). Each process's RSS is sampled throughout.
 */
import 'reflect-metadata';
import { ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadConfig, PlatformModule, TransactionService } from '../../libs/common/src';
import { IdentityModule, PasswordResetService } from '../../libs/identity/src';
import { AnnouncementsService, NotificationsModule } from '../../libs/notifications/src';

export interface MailSink {
  /** Called for each mail with its Message-ID and its To address, when the sink accepts it. */
  onMail?: (messageId: string, to: string) => void;
}

export interface AnnouncementScenarioOptions {
  db: Client;
  env: Record<string, string>;
  sink: MailSink;
  municipalityId: string;
  staffId: string;
  people: number;
  resetRate: number;
  baselineSeconds: number;
  timeoutMs: number;
  startWorker: (env: Record<string, string>) => Promise<ChildProcess>;
  stopWorker: (child: ChildProcess) => Promise<void>;
}

export interface AnnouncementScenarioResult {
  people: number;
  /** Commit of the announcement → every in-app row stored (the fan-out's end, database clock). */
  inAppSeconds: number;
  /** Commit → the last announcement mail accepted by the sink. */
  mailSeconds: number;
  received: number;
  duplicated: number;
  lost: number;
  resetP50Quiet: number;
  resetP99Quiet: number;
  resetP50During: number;
  resetP99During: number;
  resetsQuiet: number;
  resetsDuring: number;
  /** The worker's RSS at most (the main one when split), and the bulk process's (0 when not split). */
  maxRssMb: number;
  maxBulkRssMb: number;
}

@Module({})
class BenchContextModule {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number | undefined): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Requests resets at `rate` per second until `until()` says stop; resolves with each one's request → mail latency, in seconds.
 * BENCH_RESET_LOG=<file>: each reset appended there as `<label> <requested, ms after t0> <latency s>`, to see when the slow ones were asked for.
 */
async function resetsAt(
  reset: PasswordResetService,
  emails: string[],
  rate: number,
  until: () => boolean,
  arrived: Map<string, number>,
  timeoutMs: number,
  log?: { label: string; t0: number },
): Promise<number[]> {
  const requested = new Map<string, number>();
  const started = Date.now();
  let i = 0;
  while (!until() && i < emails.length) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const email = emails[i++];
    const at = Date.now();
    await reset.requestReset(email);
    // From the request (what a person does) to the mail in the box.
    requested.set(email, at);
  }
  const deadline = Date.now() + timeoutMs;
  while ([...requested.keys()].some((e) => !arrived.has(e)) && Date.now() < deadline) await sleep(20);
  const latencies = [...requested].map(([email, at]) => [at, ((arrived.get(email) ?? Infinity) - at) / 1000] as const);
  if (log && process.env.BENCH_RESET_LOG) appendFileSync(process.env.BENCH_RESET_LOG, latencies.map(([at, s]) => `${log.label} ${at - log.t0} ${s}\n`).join(''));
  return latencies.map(([, s]) => s);
}

export async function announcementScenario(o: AnnouncementScenarioOptions): Promise<AnnouncementScenarioResult> {
  const resetCount = Math.ceil(o.resetRate * 400) + 100;
  await o.db.query(
    `WITH u AS (
       INSERT INTO users (email, display_name, locale)
       SELECT 'bench-resident-' || i || '@bench.local', 'Resident ' || i, CASE WHEN i % 2 = 0 THEN 'fr' ELSE 'en' END FROM generate_series(1, $2::int) i
       RETURNING id)
     INSERT INTO residencies (municipality_id, user_id, method) SELECT $1, id, 'staff' FROM u`,
    [o.municipalityId, o.people],
  );
  await o.db.query(
    `INSERT INTO users (email, display_name, locale, password_hash)
     SELECT 'bench-reset-' || i || '@bench.local', 'Forgetful ' || i, 'en', 'not-a-real-hash' FROM generate_series(1, $1::int) i`,
    [resetCount],
  );
  const resetEmails = Array.from({ length: resetCount }, (_, i) => `bench-reset-${i + 1}@bench.local`);

  const arrivedReset = new Map<string, number>();
  const announcementMails = new Map<string, number>();
  let lastAnnouncementMailAt = 0;
  o.sink.onMail = (messageId, to) => {
    if (to.startsWith('bench-reset-')) arrivedReset.set(to, Date.now());
    else if (to.startsWith('bench-resident-')) {
      announcementMails.set(messageId, (announcementMails.get(messageId) ?? 0) + 1);
      lastAnnouncementMailAt = Date.now();
    }
  };

  const config = loadConfig({ ...process.env, ...o.env, LOG_LEVEL: 'silent' });
  const ctx = await NestFactory.createApplicationContext({ module: BenchContextModule, imports: [PlatformModule.forRoot(config), IdentityModule, NotificationsModule] }, { logger: false });
  const split = process.env.BENCH_WORKER_SPLIT !== '0';
  const worker = await o.startWorker(split ? { ...o.env, WORKER_ROLE: 'main' } : o.env);
  const bulkWorker = split ? await o.startWorker({ ...o.env, WORKER_ROLE: 'bulk' }) : null;
  let maxRss = rssMb(worker.pid);
  let maxBulkRss = bulkWorker ? rssMb(bulkWorker.pid) : 0;
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rssMb(worker.pid));
    if (bulkWorker) maxBulkRss = Math.max(maxBulkRss, rssMb(bulkWorker.pid));
  }, 250);
  try {
    const reset = ctx.get(PasswordResetService);
    let next = 0;
    const take = (n: number) => resetEmails.slice(next, (next += n));

    console.log(`  resets with nothing else running: ${o.resetRate}/s for ${o.baselineSeconds} s…`);
    const quiet = await resetsAt(reset, take(Math.round(o.resetRate * o.baselineSeconds)), o.resetRate, () => false, arrivedReset, 30_000, { label: 'quiet', t0: Date.now() });

    console.log(`  announcement to ${o.people} residents (in-app + email), resets at ${o.resetRate}/s while it drains…`);
    const started = Date.now();
    const view = await ctx.get(TransactionService).run((manager) =>
      ctx.get(AnnouncementsService).announce(manager, {
        municipalityId: o.municipalityId,
        actorId: o.staffId,
        audience: { kind: 'municipality.residents', target: null },
        title: { fr: 'Le vote du budget participatif est ouvert', en: 'The participatory budget vote is open' },
        body: { fr: 'Votez pour les projets de votre quartier jusqu’au 15.', en: 'Vote for the projects of your neighbourhood until the 15th.' },
        channels: ['in_app', 'email'],
      }),
    );
    const drained = () => announcementMails.size >= o.people || Date.now() - started > o.timeoutMs;
    const during = resetsAt(reset, take(resetCount - next), o.resetRate, drained, arrivedReset, 30_000, { label: 'during', t0: started });
    let inAppSeconds = NaN;
    let lastPrint = Date.now();
    // CPU of each worker process (and of this one: the sink and the resets' requester) since the last progress line.
    const cpuPids = [worker.pid, bulkWorker?.pid];
    let cpuBefore = cpuPids.map(cpuMs);
    let selfBefore = process.cpuUsage();
    while (!drained()) {
      if (Number.isNaN(inAppSeconds)) {
        const [row] = (await o.db.query(`SELECT extract(epoch FROM fanned_out_at - created_at) AS s FROM announcements WHERE id = $1 AND fanned_out_at IS NOT NULL`, [view.id])).rows;
        if (row) inAppSeconds = Number(row.s);
      }
      if (Date.now() - lastPrint > 5000) {
        const interval = Date.now() - lastPrint;
        lastPrint = Date.now();
        const cpuNow = cpuPids.map(cpuMs);
        const self = process.cpuUsage(selfBefore);
        const pct = (ms: number) => `${((100 * ms) / interval).toFixed(0)} %`;
        console.log(
          `  … ${((Date.now() - started) / 1000).toFixed(0)} s: ${announcementMails.size} announcement mails, worker RSS ${maxRss.toFixed(0)} MB max${bulkWorker ? `, bulk ${maxBulkRss.toFixed(0)} MB` : ''}; CPU main ${pct(cpuNow[0] - cpuBefore[0])}${bulkWorker ? `, bulk ${pct(cpuNow[1] - cpuBefore[1])}` : ''}, bench ${pct((self.user + self.system) / 1000)}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
        );
        cpuBefore = cpuNow;
        selfBefore = process.cpuUsage();
      }
      await sleep(250);
    }
    const duringLatencies = await during;
    const mailSeconds = (lastAnnouncementMailAt - started) / 1000;
    if (Number.isNaN(inAppSeconds)) {
      const [row] = (await o.db.query(`SELECT extract(epoch FROM fanned_out_at - created_at) AS s FROM announcements WHERE id = $1`, [view.id])).rows;
      inAppSeconds = Number(row?.s);
    }
    // Late duplicates would arrive now.
    await sleep(3000);
    const total = [...announcementMails.values()].reduce((a, b) => a + b, 0);
    return {
      people: o.people,
      inAppSeconds,
      mailSeconds,
      received: announcementMails.size,
      duplicated: total - announcementMails.size,
      lost: o.people - announcementMails.size,
      resetP50Quiet: percentile(quiet, 50),
      resetP99Quiet: percentile(quiet, 99),
      resetP50During: percentile(duringLatencies, 50),
      resetP99During: percentile(duringLatencies, 99),
      resetsQuiet: quiet.length,
      resetsDuring: duringLatencies.length,
      maxRssMb: maxRss,
      maxBulkRssMb: maxBulkRss,
    };
  } finally {
    clearInterval(sampler);
    await o.stopWorker(worker);
    if (bulkWorker) await o.stopWorker(bulkWorker);
    await ctx.close();
    o.sink.onMail = undefined;
  }
}
