/**
 * `npm run bench -- surveys`: results of a survey of 20 questions (single and multiple choice,
 * scales 1–5 and 0–10, rankings, short and long texts, one display condition) with
 * BENCH_SURVEY_RESPONSES submitted responses (default 50,000; the target is < 2 s), read
 * through the product's ResultsService on the real database: identified responses, the same
 * cross-tabbed and weighted by a panel feature, the CSV export, an anonymous survey after its
 * close (released rows), and the close itself of an anonymous survey (every sealed row opened,
 * shuffled and released in one transaction; once). Beside it, the bare
 * baseline: one pg query of the same rows and a minimal count of every answer value (no
 * percentages, means, Borda, weights). Each figure is the median of BENCH_RUNS runs (3).
 *
 * Knobs: BENCH_SURVEY_RESPONSES, BENCH_RUNS, BENCH_DATABASE_URL (…/civic_bench_surveys).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { ensureDatabase, loadConfig, PlatformModule, runMigrations } from '../libs/common/src';
import { ResultsService, SurveysModule, SurveysService } from '../libs/surveys/src';
import type { Question } from '../libs/surveys/src';
import { MIGRATIONS } from '../migrations';

const RESPONSES = Number(process.env.BENCH_SURVEY_RESPONSES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_surveys';
const SLUG = 'bench-surveys';

const opts = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ code: `${prefix}${i}`, label: `Option ${prefix}${i}` }));
const QUESTIONS: Question[] = [
  ...Array.from({ length: 5 }, (_, i): Question => ({ id: `s${i}`, type: 'single_choice', label: `Single ${i}`, required: true, options: opts(4 + i, 'o') })),
  ...Array.from({ length: 4 }, (_, i): Question => ({ id: `m${i}`, type: 'multiple_choice', label: `Multiple ${i}`, required: false, options: opts(6, 'o'), max: 3, ...(i === 0 ? { showIf: { question: 's0', anyOf: ['o0', 'o1'] } } : {}) })),
  ...Array.from({ length: 4 }, (_, i): Question => ({ id: `c${i}`, type: 'scale', label: `Scale ${i}`, required: true, scale: i % 2 ? '0-10' : '1-5' })),
  ...Array.from({ length: 3 }, (_, i): Question => ({ id: `r${i}`, type: 'ranking', label: `Ranking ${i}`, required: false, options: opts(5, 'o') })),
  ...Array.from({ length: 2 }, (_, i): Question => ({ id: `t${i}`, type: 'short_text', label: `Short ${i}`, required: false })),
  ...Array.from({ length: 2 }, (_, i): Question => ({ id: `l${i}`, type: 'long_text', label: `Long ${i}`, required: false })),
];
const FEATURES = [
  { code: 'gender', label: 'Gender', values: [{ code: 'f', label: 'F', min: 48, max: 52 }, { code: 'm', label: 'M', min: 48, max: 52 }] },
  { code: 'age', label: 'Age', values: ['18-29', '30-44', '45-64', '65+'].map((code) => ({ code, label: code, min: 20, max: 30 })) },
];

/** Deterministic pseudo-random answers (mulberry32), so every run reads the same survey. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function responseAt(rand: () => number): { answers: Record<string, unknown>; features: Record<string, string> } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const answers: Record<string, unknown> = {};
  for (const q of QUESTIONS) {
    const codes = (q.options ?? []).map((o) => o.code);
    if (q.type === 'single_choice') answers[q.id] = pick(codes);
    else if (q.type === 'multiple_choice') {
      if (q.showIf && !q.showIf.anyOf.includes(answers[q.showIf.question] as string)) continue;
      answers[q.id] = codes.filter(() => rand() < 0.3).slice(0, 3);
      if (!(answers[q.id] as string[]).length) delete answers[q.id];
    } else if (q.type === 'scale') answers[q.id] = q.scale === '0-10' ? Math.floor(rand() * 11) : 1 + Math.floor(rand() * 5);
    else if (q.type === 'ranking') answers[q.id] = [...codes].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 5));
    else if (rand() < 0.3) answers[q.id] = q.type === 'short_text' ? `Street ${Math.floor(rand() * 500)}` : `A longer remark about the town, number ${Math.floor(rand() * 1e6)}, with some words.`;
  }
  return { answers, features: { gender: rand() < 0.6 ? 'f' : 'm', age: pick(['18-29', '30-44', '45-64', '65+']) } };
}

async function fixtures(db: Client, seal: SurveysService['seal']): Promise<{ identified: string; anonymousClosed: string; anonymousOpen: string }> {
  const boundary = { type: 'Polygon', coordinates: [[[3, 50], [3.1, 50], [3.1, 50.1], [3, 50.1], [3, 50]]] };
  await db.query(`INSERT INTO municipalities (slug, name, timezone, locale, boundary, bbox) VALUES ($1, 'Surveys (bench)', 'Europe/Paris', 'fr', $2, box(point(3, 50), point(3.1, 50.1))) ON CONFLICT (slug) DO NOTHING`, [SLUG, JSON.stringify(boundary)]);
  const town = (await db.query(`SELECT id FROM municipalities WHERE slug = $1`, [SLUG])).rows[0].id as string;
  await db.query(`DELETE FROM surveys WHERE municipality_id = $1`, [town]);
  await db.query(`DELETE FROM panels WHERE municipality_id = $1`, [town]);
  const panel = (
    await db.query(`INSERT INTO panels (municipality_id, name, size, term_months, household_rule, features, consent_version, consent_text) VALUES ($1, 'Bench panel', 100, 12, false, $2, 'v1', 'ok') RETURNING id`, [town, JSON.stringify(FEATURES)])
  ).rows[0].id as string;
  const survey = async (anonymous: boolean, closed: boolean) =>
    (
      await db.query(
        `INSERT INTO surveys (municipality_id, title, questions, audience, anonymous, opens_at, closes_at, closed_at) VALUES ($1, 'Bench survey', $2, $3, $4, now() - interval '1 day', now() + interval '30 days', $5) RETURNING id`,
        [town, JSON.stringify(QUESTIONS), JSON.stringify({ kind: 'panel', panelId: panel }), anonymous, closed ? new Date() : null],
      )
    ).rows[0].id as string;
  const ids = { identified: await survey(false, false), anonymousClosed: await survey(true, true), anonymousOpen: await survey(true, false) };
  const rand = generator(16);
  for (let i = 0; i < RESPONSES; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, RESPONSES - i) }, () => responseAt(rand));
    const json = JSON.stringify(batch);
    await db.query(`INSERT INTO survey_responses (survey_id, answers, features, submitted) SELECT $1, x->'answers', x->'features', true FROM jsonb_array_elements($2::jsonb) x`, [ids.identified, json]);
    await db.query(`INSERT INTO survey_anonymous_responses (id, survey_id, answers, features) SELECT gen_random_uuid(), $1, x->'answers', x->'features' FROM jsonb_array_elements($2::jsonb) x`, [ids.anonymousClosed, json]);
    const sealed = batch.map((r, k) => ({ lookup: `bench-${i + k}`, sealed: seal.seal({ ...r, submitted: true }, ids.anonymousOpen) }));
    await db.query(`INSERT INTO survey_sealed_responses (survey_id, respondent_lookup, sealed) SELECT $1, x->>'lookup', x->>'sealed' FROM jsonb_array_elements($2::jsonb) x`, [ids.anonymousOpen, JSON.stringify(sealed)]);
  }
  await db.query('VACUUM (ANALYZE) survey_responses, survey_anonymous_responses, survey_sealed_responses');
  return ids;
}

/** The bare baseline: the same rows by one pg query, every answer value counted, nothing else. */
async function baseline(db: Client, surveyId: string): Promise<number> {
  const { rows } = await db.query(`SELECT answers, features FROM survey_responses WHERE survey_id = $1 AND submitted`, [surveyId]);
  const counts = new Map<string, number>();
  for (const r of rows as Array<{ answers: Record<string, unknown> }>) {
    for (const [q, a] of Object.entries(r.answers)) {
      for (const v of Array.isArray(a) ? a : [a]) counts.set(`${q}:${String(v)}`, (counts.get(`${q}:${String(v)}`) ?? 0) + 1);
    }
  }
  return JSON.stringify([...counts]).length;
}

/** Median wall seconds of the runs, and the median CPU seconds this process spent (PostgreSQL's are not in it). */
async function median(runs: number, task: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await task();
    walls.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6);
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: mid(walls), cpu: mid(cpus) };
}

@Module({})
class BenchModule {}

export async function run(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const config = loadConfig({ ...process.env, DATABASE_URL });
  const ctx = await NestFactory.createApplicationContext({ module: BenchModule, imports: [PlatformModule.forRoot(config), SurveysModule] }, { logger: false });
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const results = ctx.get(ResultsService);
    console.log(`surveys: loading ${RESPONSES} responses × ${QUESTIONS.length} questions (three surveys)…`);
    const ids = await fixtures(db, ctx.get(SurveysService).seal);
    const staff = { id: '00000000-0000-4000-8000-000000000000', isPlatformAdmin: true, memberships: {} };
    const base = await median(RUNS, () => baseline(db, ids.identified));
    const line = async (label: string, task: () => Promise<unknown>) => {
      const m = await median(RUNS, task);
      console.log(`  ${label.padEnd(44)} ${m.wall.toFixed(2).padStart(6)} s (node cpu ${m.cpu.toFixed(2)} s)   ${(m.wall / base.wall).toFixed(1).padStart(5)}× baseline`);
    };
    console.log(`  ${'bare baseline (pg query + value counts)'.padEnd(44)} ${base.wall.toFixed(2).padStart(6)} s (node cpu ${base.cpu.toFixed(2)} s)`);
    await line('results, identified', async () => JSON.stringify(await results.results(staff, ids.identified, {})));
    await line('results, cross-tab by age', async () => JSON.stringify(await results.results(staff, ids.identified, { by: 'age' })));
    await line('results, weighted by gender quotas', async () => JSON.stringify(await results.results(staff, ids.identified, { weightBy: 'gender' })));
    await line('results, anonymous after the close', async () => JSON.stringify(await results.results(staff, ids.anonymousClosed, {})));
    await line('CSV export, identified', () => results.csv(staff, ids.identified));
    const started = performance.now();
    await ctx.get(SurveysService).close(staff, ids.anonymousOpen);
    console.log(`  ${'closing an anonymous survey (release, once)'.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2).padStart(6)} s`);
  } finally {
    await db.end();
    await ctx.close();
  }
}
