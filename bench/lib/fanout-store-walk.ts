/**
 * The store walk of an announcement alone, no worker: announces to the residents of the bench's
 * town (a database kept by `BENCH_KEEP=1 BENCH_ANNOUNCEMENT=20000 npm run bench -- notifications`)
 * and runs AnnouncementFanout.nextPage() in a loop, printing the time a page and this process's
 * CPU. `PAGE` (2000) is the page size; `DATABASE_URL` the database. Run under the bench lock:
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/lib/fanout-store-walk.ts
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, PlatformModule, TransactionService } from '../../libs/common/src';
import { IdentityModule } from '../../libs/identity/src';
import { AnnouncementFanout, AnnouncementsService, NotificationsModule } from '../../libs/notifications/src';

@Module({})
class M {}

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
  const fanout = ctx.get(AnnouncementFanout);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let pages = 0, people = 0;
  for (;;) {
    const p = await fanout.nextPage(size);
    if (!p) break;
    pages++; people += p.people;
    if (p.done) break;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  console.log(`store walk: ${people} people in ${pages} pages, ${ms.toFixed(0)} ms (${(ms / pages).toFixed(0)} ms a page); node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  await ctx.close();
}
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
