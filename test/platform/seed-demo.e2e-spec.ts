import { randomBytes } from 'node:crypto';
import { loadConfig } from '@app/common';
import { Client } from 'pg';
import { DEMO_MUNICIPALITIES, DEMO_PASSWORD } from '../../apps/cli/src/demo/demo-metropolis';
import { DEMO_REPORTS } from '../../apps/cli/src/demo/demo-reports';
import { seedDemo } from '../../apps/cli/src/seed-demo';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createMigratedDatabase } from '../utils/test-database';

// Seeding every module of two towns took over 60 s once on a machine at load 20 (CI's is 3–4).
jest.setTimeout(180_000);

/**
 * The demo seed runs in a database of its own: its towns have real coordinates and fixed slugs,
 * which must not leak into the other suites' locate and list tests.
 */
describe('demo seed', () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_seed_${randomBytes(3).toString('hex')}`;
  const env = { DATABASE_URL: url.toString() };
  const config = loadConfig({ ...process.env, ...env });
  let t: TestApp;

  async function counts(): Promise<Record<string, number>> {
    const client = new Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT
        (SELECT count(*) FROM municipalities)::int AS municipalities,
        (SELECT count(*) FROM users)::int AS users,
        (SELECT count(*) FROM municipality_members)::int AS members,
        (SELECT count(*) FROM residencies)::int AS residents,
        (SELECT count(*) FROM report_categories)::int AS categories,
        (SELECT count(*) FROM audit_log)::int AS audit,
        (SELECT count(*) FROM outbox_events)::int AS events,
        (SELECT count(*) FROM reports)::int AS reports,
        (SELECT count(*) FROM attachments)::int AS photos,
        (SELECT count(*) FROM comments)::int AS comments,
        (SELECT count(*) FROM proposals)::int AS proposals,
        (SELECT count(*) FROM budgets)::int AS budgets,
        (SELECT count(*) FROM budget_projects)::int AS projects,
        (SELECT count(*) FROM panels)::int AS panels,
        (SELECT count(*) FROM surveys)::int AS surveys,
        (SELECT count(*) FROM workshop_sessions)::int AS sessions`);
      return rows[0];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await createMigratedDatabase(config.databaseUrl);
  });
  // The database goes with the run's (global-teardown).
  afterAll(async () => {
    await t?.close();
  });

  it('creates two towns, their categories and an account per role, once', async () => {
    const first = await seedDemo(config);
    expect(first.skipped).toBe(false);
    expect(first.municipalities).toEqual(['lille', 'roubaix']);
    expect(first.accounts).toHaveLength(11);
    expect(first.residents).toHaveLength(2);
    expect(first.categories).toHaveLength(8);
    const perTown = {
      reports: DEMO_REPORTS.length,
      photos: DEMO_REPORTS.reduce((n, r) => n + r.photos, 0),
      comments: DEMO_REPORTS.reduce((n, r) => n + (r.comments?.length ?? 0), 0),
    };
    expect(perTown.reports).toBeGreaterThanOrEqual(20);
    expect(first.reports).toHaveLength(2 * perTown.reports);
    expect(first.photos).toBe(2 * perTown.photos);
    expect(first.comments).toBe(2 * perTown.comments);
    const after = await counts();
    // ADMIN_EMAIL of the test run is bootstrapped too, by the identity library itself.
    expect(after).toMatchObject({
      municipalities: 2,
      users: 12,
      members: 6,
      residents: 2,
      categories: 8,
      reports: 2 * perTown.reports,
      photos: 2 * perTown.photos,
      comments: 2 * perTown.comments,
      proposals: 4,
      budgets: 2,
      projects: 8,
      panels: 2,
      surveys: 2,
      sessions: 2,
    });

    expect(first.modules).toEqual(['lille', 'roubaix'].flatMap((town) => ['proposals', 'budget', 'panel', 'survey', 'workshop'].map((m) => `${town}:${m}`)));

    const second = await seedDemo(config);
    expect(second).toEqual({ skipped: false, municipalities: [], accounts: [], categories: [], residents: [], reports: [], photos: 0, comments: 0, modules: [] });
    expect(await counts()).toEqual(after);

    expect((await seedDemo(config, { onlyIfFresh: true })).skipped).toBe(true);
    expect(await counts()).toEqual(after);
  });

  it('gives every demo account a password that logs in, and roles that hold per town', async () => {
    t = await createTestApp({ env });
    const login = async (email: string) => {
      const res = await t.http.post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
      return res.body.accessToken as string;
    };
    const lilleStaff = await login('staff.lille@demo.civic.example');
    const roubaixStaff = await login('staff.roubaix@demo.civic.example');
    await t.http.get('/api/v1/municipalities/lille/members').auth(lilleStaff, { type: 'bearer' }).expect(200);
    await t.http.get('/api/v1/municipalities/lille/members').auth(roubaixStaff, { type: 'bearer' }).expect(403);
    for (const town of DEMO_MUNICIPALITIES) for (const account of town.accounts) await login(account.email);
    await login('platform-admin@demo.civic.example');
  });

  it('fills the map, the lists and the triage board: every status, photos that load, comments', async () => {
    t ??= await createTestApp({ env });
    const login = async (email: string) =>
      (await t.http.post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body.accessToken as string;
    for (const town of ['lille', 'roubaix']) {
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT r.status, count(*)::int AS n FROM reports r JOIN municipalities m ON m.id = r.municipality_id WHERE m.slug = $1 GROUP BY 1`,
          [town],
        );
        const byStatus = Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
        for (const status of ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected']) expect([town, status, byStatus[status] > 0]).toEqual([town, status, true]);
      } finally {
        await client.end();
      }
      const list = await t.http.get(`/api/v1/municipalities/${town}/reports?limit=50`).expect(200);
      expect(list.body.items.length).toBeGreaterThanOrEqual(15);
      const withPhoto = list.body.items.find((r: { photos: unknown[] }) => r.photos.length > 0);
      await t.http.get(new URL(withPhoto.photos[0].thumbnailUrl).pathname + '?size=thumb').expect(200);
      const staff = await login(`staff.${town}@demo.civic.example`);
      // Their own department's open reports by default, every department's on asking.
      const mine = await t.http.get(`/api/v1/municipalities/${town}/triage`).auth(staff, { type: 'bearer' }).expect(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      const all = await t.http.get(`/api/v1/municipalities/${town}/triage?department=all`).auth(staff, { type: 'bearer' }).expect(200);
      expect(all.body.items.length).toBeGreaterThan(10);
    }
  });

  it('gives each town something in every module: proposals with a support, a budget in its vote, a panel, a survey, a workshop', async () => {
    t ??= await createTestApp({ env });
    for (const town of ['lille', 'roubaix']) {
      const proposals = await t.http.get(`/api/v1/municipalities/${town}/proposals?sort=most_supported`).expect(200);
      expect(proposals.body.items).toHaveLength(2);
      expect(proposals.body.items[0]).toMatchObject({ status: 'published', supportCount: 1 });
      const budgets = await t.http.get(`/api/v1/municipalities/${town}/budgets`).expect(200);
      expect(budgets.body.items).toEqual([expect.objectContaining({ phase: 'voting' })]);
      const onBallot = await t.http.get(`/api/v1/budgets/${budgets.body.items[0].id}/projects?status=on_ballot`).expect(200);
      expect(onBallot.body.items).toHaveLength(4);
      const panels = await t.http.get(`/api/v1/municipalities/${town}/panels`).expect(200);
      expect(panels.body.items).toEqual([expect.objectContaining({ status: 'recruiting' })]);
      const surveys = await t.http.get(`/api/v1/municipalities/${town}/surveys`).expect(200);
      expect(surveys.body.items).toEqual([expect.objectContaining({ title: 'Vos parcs et jardins' })]);
      const sessions = await t.http.get(`/api/v1/municipalities/${town}/workshops`).expect(200);
      expect(sessions.body.items).toHaveLength(1);
    }
  });

  it('draws boundaries that locate each town centre in its town', async () => {
    t ??= await createTestApp({ env });
    const lille = await t.http.get('/api/v1/municipalities/locate').query({ lat: 50.6292, lng: 3.0573 }).expect(200);
    expect(lille.body.municipality.slug).toBe('lille');
    const roubaix = await t.http.get('/api/v1/municipalities/locate').query({ lat: 50.6942, lng: 3.1746 }).expect(200);
    expect(roubaix.body.municipality.slug).toBe('roubaix');
    await t.http.get('/api/v1/municipalities/locate').query({ lat: 48.8566, lng: 2.3522 }).expect(404);
  });
});
