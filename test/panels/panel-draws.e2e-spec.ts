import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createPanel, poolImportCsv, sharedPoolPanelBody } from '../factories/panel.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { loadSharedPool, SHARED_POOL_NAMES, SharedPool } from '../utils/sortition-pools';
import { compiledEntry } from '../utils/compiled-tree';

const run = promisify(execFile);

/** Every published pool, imported through the CSV route, committed, drawn, and re-run by the CLI. */
describe('panel draws on the published pools (../shared/data/sortition)', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let admin: Session;
  let staff: Session;

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
  });
  afterAll(() => t.close());

  function quotaViolations(pool: SharedPool, members: string[]): string[] {
    const rows = new Map(pool.rows.map((r) => [r.id, r]));
    const problems: string[] = [];
    for (const q of pool.quotas) {
      const n = members.filter((id) => rows.get(id)![q.feature] === q.value).length;
      if (n < q.min || n > q.max) problems.push(`${q.feature}=${q.value}: ${n}`);
    }
    if (pool.householdColumns.length) {
      const keys = members.map((id) => pool.householdColumns.map((c) => rows.get(id)![c]).join(' | '));
      if (new Set(keys).size !== keys.length) problems.push('household shared');
    }
    return problems;
  }

  it.each(SHARED_POOL_NAMES)(
    '%s: imported through the CSV route, probabilities reported, drawn after the commitment, re-run identically by panel:draw',
    async (name) => {
      const pool = loadSharedPool(name);
      const panel = await createPanel(t.http, admin, town.slug, sharedPoolPanelBody(pool, pool.householdColumns.length > 0));

      const imported = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/import`)).set('Content-Type', 'text/csv').send(poolImportCsv(pool)).expect(200);
      expect(imported.body).toEqual({ imported: pool.rows.length, rejected: [] });

      // The seed may only come after the published commitment.
      await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'too-early' }).expect(409);
      const closed = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
      expect(closed.body).toMatchObject({ status: 'pool_closed', poolHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const published = await t.http.get(`/api/v1/panels/${panel.id}`).expect(200);
      expect(published.body.poolHash).toBe(closed.body.poolHash);

      const probabilities = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/selection-probabilities`)).expect(200);
      expect(probabilities.body.poolHash).toBe(closed.body.poolHash);
      expect(probabilities.body.probabilities).toHaveLength(pool.rows.length);
      const values = (probabilities.body.probabilities as Array<{ id: string; probability: number }>).map((p) => p.probability);
      expect(values.reduce((s, p) => s + p, 0)).toBeCloseTo(pool.panelSize, 5);
      expect(probabilities.body.minimumProbability).toBeCloseTo(Math.min(...values), 9);
      expect(probabilities.body.minimumProbability).toBeGreaterThan(0);
      expect(new Set(probabilities.body.probabilities.map((p: { id: string }) => p.id))).toEqual(new Set(pool.rows.map((r) => r.id)));

      const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: '6-3-1-5-2-4' }).expect(201);
      expect(drawn.body.members).toHaveLength(pool.panelSize);
      expect(quotaViolations(pool, drawn.body.members)).toEqual([]);
      expect(drawn.body).toMatchObject({ seed: '6-3-1-5-2-4', poolHash: closed.body.poolHash, minimumProbability: probabilities.body.minimumProbability });
      await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'again' }).expect(409);

      const runFile = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/selections/${drawn.body.id}/run`)).expect(200);
      expect(runFile.body.pool.some((m: { household: string | null }) => m.household && pool.rows.some((r) => m.household!.includes(r[pool.householdColumns[0]])))).toBe(false);
      const file = join(mkdtempSync(join(tmpdir(), 'panel-run-')), 'run.json');
      writeFileSync(file, JSON.stringify(runFile.body));
      const cli = await run(process.execPath, [compiledEntry('apps/cli/src/panel-draw.ts'), file], { cwd: resolve(__dirname, '..', '..'), maxBuffer: 1 << 20 });
      const printed = cli.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(printed).toEqual([...drawn.body.members].sort());
      expect(cli.stdout).toContain('# reproduced');
    },
    900_000,
  );
});
