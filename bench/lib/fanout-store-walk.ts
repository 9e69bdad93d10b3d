/**
 * The store walk of an announcement alone, no worker: announces to the residents of the bench's
 * town (a database kept by `BENCH_KEEP=1 BENCH_ANNOUNCEMENT=20000 npm run bench -- notifications`)
 * and runs AnnouncementFanout.nextPage() in a loop, printing the time a page and this process's
 * CPU and its PostgreSQL backends' CPU. `PAGE` (2000) is the page size, `AT_ONCE` (2) the pages
 * stored at once; `DATABASE_URL` the database. Run under the bench lock:
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/lib/fanout-store-walk.ts
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, PlatformModule, TransactionService } from '../../libs/common/src';
import { IdentityModule } from '../../libs/identity/src';
import { AnnouncementFanout, AnnouncementsService, NotificationsModule } from '../../libs/notifications/src';

@Module({})
class M {}

/** CPU time (user + system) a process has used so far, in ms (100 ticks a second). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function main() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_notifications';
  const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', QUEUE_PREFIX: 'notif_prof' });
  const ctx = await NestFactory.createApplicationContext({ module: M, imports: [PlatformModule.forRoot(config), IdentityModule, NotificationsModule] }, { logger: false });
  const tx = ctx.get(TransactionService);
  const [{ id: mid }] = await tx.manager.query(`SELECT id FROM municipalities WHERE slug = 'bench-notif'`);
  const [{ id: staff }] = await tx.manager.query(`SELECT id FROM users WHERE email = 'bench-staff@bench.local'`);
  await tx.run((m) => ctx.get(AnnouncementsService).announce(m, { municipalityId: mid, actorId: staff, audience: { kind: 'municipality.residents', target: null },
    title: { fr: 'x', en: 'x' }, body: { fr: 'y', en: 'y' }, channels: ['in_app', 'email'] }));
  const size = Number(process.env.PAGE ?? 2000);
  const atOnce = Number(process.env.AT_ONCE ?? 2);
  const fanout = ctx.get(AnnouncementFanout);
  const backends = async () =>
    ((await tx.manager.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as Array<{ pid: number }>).map((r) => r.pid);
  // Open the pool's connections first, so every backend that stores a page is counted.
  await Promise.all(Array.from({ length: atOnce + 1 }, () => tx.run((m) => m.query('SELECT 1'))));
  const pgCpu0 = new Map((await backends()).map((pid) => [pid, cpuMs(pid)]));
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let pages = 0, people = 0;
  for (;;) {
    const p = await fanout.nextPage(size, atOnce);
    if (!p) break;
    pages++; people += p.people;
    if (p.done) break;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const pgCpu = (await backends()).reduce((sum, pid) => sum + cpuMs(pid) - (pgCpu0.get(pid) ?? cpuMs(pid)), 0);
  console.log(
    `store walk: ${people} people in ${pages} calls of ${atOnce} page(s) of ${size}, ${ms.toFixed(0)} ms (${(ms / pages).toFixed(0)} ms a call); node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, PostgreSQL backends ${pgCpu.toFixed(0)} ms`,
  );
  await ctx.close();
}
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
