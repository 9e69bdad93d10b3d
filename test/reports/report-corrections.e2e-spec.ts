import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

jest.setTimeout(90_000);

type View = { id: string; version: number; description: string; location: { lat: number; lng: number }; category: { code: string }; municipality: string; staff?: Record<string, unknown> };

/** Staff correct, transfer, hide and un-hide reports; the original is kept and audited. */
describe('Report corrections, transfers and hiding', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let staffA: Session;
  let staffB: Session;
  let reporter: Session;
  let citizen: Session;
  let roadsA: string;
  let lightsA: string;
  let roadsB: string;

  const file = async () => (await createReport(t.http, reporter.accessToken, a, roadsA, { description: 'Trou devant chez M. Jean Martin, 06 12 34 56 78' })) as unknown as View;
  const get = (id: string, who?: Session) => {
    const req = t.http.get(`/api/v1/reports/${id}`);
    return who ? who.auth(req) : req;
  };
  const post = (who: Session | undefined, path: string, body: Record<string, unknown>) => {
    const req = t.http.post(path);
    return (who ? who.auth(req) : req).send(body);
  };

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, admin.accessToken, { name: 'Town A' });
    b = await createMunicipality(t.http, admin.accessToken, { name: 'Town B' });
    [staffA, staffB, reporter, citizen] = await Promise.all([
      memberSession(t.http, admin.accessToken, a.slug, ['staff'], { displayName: 'Agent A' }),
      memberSession(t.http, admin.accessToken, b.slug, ['staff']),
      createSession(t.http),
      createSession(t.http),
    ]);
    roadsA = (await createCategory(t.http, admin.accessToken, a.slug, { department: 'Voirie' })).code;
    lightsA = (await createCategory(t.http, admin.accessToken, a.slug, { department: 'Éclairage' })).code;
    roadsB = (await createCategory(t.http, admin.accessToken, b.slug, { department: 'Roads B' })).code;
  });
  afterAll(() => t.close());

  describe('correcting', () => {
    it("corrects pin, category and description, keeping the original for staff, audited", async () => {
      const report = await file();
      const pin = near(a, 0.001, 0.001);
      const res = await staffA
        .auth(t.http.patch(`/api/v1/reports/${report.id}/correction`))
        .set('If-Match', `"${report.version}"`)
        .send({ description: 'Trou devant le numéro 12', location: pin, categoryCode: lightsA, reason: 'Personal data and wrong category' })
        .expect(200);
      expect(res.headers.etag).toBe(`"${report.version + 1}"`);
      expect(res.body).toMatchObject({ version: report.version + 1, description: 'Trou devant le numéro 12', location: pin, category: { code: lightsA }, staff: { department: 'Éclairage' } });

      const history = (await staffA.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(200)).body;
      expect(history).toEqual([
        expect.objectContaining({
          kind: 'correction',
          actorId: staffA.user.id,
          actorName: 'Agent A',
          reason: 'Personal data and wrong category',
          changes: expect.objectContaining({
            description: { from: report.description, to: 'Trou devant le numéro 12' },
            location: { from: report.location, to: pin },
            categoryCode: { from: roadsA, to: lightsA },
          }),
        }),
      ]);
      const [audit] = await db.query(`SELECT before, after FROM audit_log WHERE action = 'report.corrected' AND target_id = $1`, [report.id]);
      expect(audit.before.description).toBe(report.description);
      expect(audit.after).toMatchObject({ description: 'Trou devant le numéro 12', reason: 'Personal data and wrong category' });
      // The point the maps and "nearby" read moved with the pin.
      const [row] = await db.query(`SELECT location[0] AS lng, location[1] AS lat FROM reports WHERE id = $1`, [report.id]);
      expect(row).toEqual({ lng: pin.lng, lat: pin.lat });

      // The public sees the redacted text only, nowhere the original.
      for (const who of [undefined, citizen, reporter, staffB]) {
        const view = JSON.stringify((await get(report.id, who).expect(200)).body);
        const timeline = JSON.stringify((await (who ? who.auth(t.http.get(`/api/v1/reports/${report.id}/timeline`)) : t.http.get(`/api/v1/reports/${report.id}/timeline`)).expect(200)).body);
        for (const text of [view, timeline]) expect(text).not.toContain('Jean Martin');
      }
    });

    it('checks the version, the pin and that there is something to correct', async () => {
      const report = await file();
      const url = `/api/v1/reports/${report.id}/correction`;
      expect((await staffA.auth(t.http.patch(url)).send({ description: 'Nouveau texte' }).expect(400)).body.code).toBe('VERSION_REQUIRED');
      await staffA.auth(t.http.patch(url)).send({ version: report.version }).expect(400);
      await staffA.auth(t.http.patch(url)).send({ version: report.version, description: 'x' }).expect(400);
      expect((await staffA.auth(t.http.patch(url)).send({ version: report.version, location: near(b) }).expect(422)).body.code).toBe('OUTSIDE_MUNICIPALITY');
      expect((await staffA.auth(t.http.patch(url)).send({ version: report.version, categoryCode: roadsB }).expect(422)).body.code).toBe('CATEGORY_NOT_FOUND');
      await staffA.auth(t.http.patch(url)).send({ version: report.version, description: 'Nouveau texte' }).expect(200);
      expect((await staffA.auth(t.http.patch(url)).send({ version: report.version, description: 'Encore' }).expect(409)).body.code).toBe('STALE_VERSION');
      // Unchanged values change nothing (no new version, no history line).
      const same = await staffA.auth(t.http.patch(url)).send({ version: report.version + 1, description: 'Nouveau texte' }).expect(200);
      expect(same.body.version).toBe(report.version + 1);
      expect((await staffA.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(200)).body).toHaveLength(1);
    });

    it('is for staff of the report’s town (and admins) only', async () => {
      const report = await file();
      const body = { version: report.version, description: 'Changed by someone' };
      await t.http.patch(`/api/v1/reports/${report.id}/correction`).send(body).expect(401);
      for (const who of [citizen, reporter, staffB]) {
        await who.auth(t.http.patch(`/api/v1/reports/${report.id}/correction`)).send(body).expect(403);
        await who.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(403);
      }
      await t.http.get(`/api/v1/reports/${report.id}/corrections`).expect(401);
      await staffA.auth(t.http.get(`/api/v1/reports/00000000-0000-4000-8000-000000000000/corrections`)).expect(404);
      await staffA.auth(t.http.get(`/api/v1/reports/not-a-uuid/corrections`)).expect(400);
      await admin.auth(t.http.patch(`/api/v1/reports/${report.id}/correction`)).send(body).expect(200);
      expect((await get(report.id).expect(200)).body.description).toBe('Changed by someone');
    });
  });

  describe('transferring', () => {
    it("hands the report to the other town's staff; the reporter keeps it, the first town loses it", async () => {
      const report = await file();
      const assigned = await staffA.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: report.version, assigneeId: staffA.user.id }).expect(200);
      // Staff of B cannot take it themselves.
      await post(staffB, `/api/v1/reports/${report.id}/transfer`, { version: assigned.body.version, municipality: b.slug, categoryCode: roadsB, location: near(b) }).expect(403);
      const moved = await post(staffA, `/api/v1/reports/${report.id}/transfer`, {
        version: assigned.body.version,
        municipality: b.slug,
        categoryCode: roadsB,
        location: near(b),
        reason: 'Across the boundary',
      }).expect(200);
      expect(moved.body).toMatchObject({ municipality: b.slug, category: { code: roadsB }, version: assigned.body.version + 1 });
      expect(moved.body.staff).toBeUndefined();

      const forB = (await get(report.id, staffB).expect(200)).body;
      expect(forB.staff).toMatchObject({ department: 'Roads B', assignee: null });
      expect((await get(report.id, staffA).expect(200)).body.staff).toBeUndefined();
      const queueB = (await staffB.auth(t.http.get(`/api/v1/municipalities/${b.slug}/triage?limit=200`)).expect(200)).body;
      expect(queueB.items.map((r: View) => r.id)).toContain(report.id);
      const queueA = (await staffA.auth(t.http.get(`/api/v1/municipalities/${a.slug}/triage?limit=200`)).expect(200)).body;
      expect(queueA.items.map((r: View) => r.id)).not.toContain(report.id);
      await staffA.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: forB.version, priority: 'high' }).expect(403);
      await staffB.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: forB.version, status: 'acknowledged' }).expect(200);

      const mine = (await reporter.auth(t.http.get('/api/v1/me/reports')).expect(200)).body;
      expect(mine.items.find((r: View) => r.id === report.id)).toMatchObject({ municipality: b.slug, isMine: true });
      const line = ((await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200)).body as Array<{ type: string; data: unknown }>).find((l) => l.type === 'transferred');
      expect(line?.data).toMatchObject({ from: { slug: a.slug }, to: { slug: b.slug } });
      // The history goes with the report; both towns' audit logs say so.
      expect((await staffB.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(200)).body[0]).toMatchObject({
        kind: 'transfer',
        changes: { municipality: { from: a.slug, to: b.slug }, assigneeId: { from: staffA.user.id, to: null } },
      });
      const audits = await db.query(`SELECT action, municipality_id FROM audit_log WHERE target_id = $1 AND action LIKE 'report.transferred%' ORDER BY id`, [report.id]);
      expect(audits).toEqual([
        { action: 'report.transferred', municipality_id: a.id },
        { action: 'report.transferred_in', municipality_id: b.id },
      ]);
    });

    it('is open to the platform admin too', async () => {
      const report = await file();
      const res = await post(admin, `/api/v1/reports/${report.id}/transfer`, { version: report.version, municipality: b.slug, categoryCode: roadsB, location: near(b) }).expect(200);
      expect(res.body).toMatchObject({ municipality: b.slug, staff: { department: 'Roads B' } });
    });

    it('refuses the same town, closed reports, a pin outside the target and unknown towns', async () => {
      const report = await file();
      const url = `/api/v1/reports/${report.id}/transfer`;
      const base = { version: report.version, municipality: b.slug, categoryCode: roadsB };
      expect((await post(staffA, url, { ...base, municipality: a.slug, categoryCode: roadsA }).expect(422)).body.code).toBe('TRANSFER_SAME_MUNICIPALITY');
      expect((await post(staffA, url, base).expect(422)).body.code).toBe('OUTSIDE_MUNICIPALITY');
      await post(staffA, url, { ...base, municipality: 'no-such-town', location: near(b) }).expect(404);
      await post(staffA, url, { ...base, categoryCode: roadsA, location: near(b) }).expect(422);
      await post(undefined, url, { ...base, location: near(b) }).expect(401);
      await post(citizen, url, { ...base, location: near(b) }).expect(403);
      await post(staffB, url, { ...base, location: near(b) }).expect(403);
      await post(reporter, url, { ...base, location: near(b) }).expect(403);
      const rejected = await staffA.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: report.version, status: 'rejected', reason: 'not_responsible' }).expect(200);
      expect((await post(staffA, url, { ...base, version: rejected.body.version, location: near(b) }).expect(409)).body.code).toBe('TRANSFER_NOT_OPEN');
    });
  });

  describe('hiding', () => {
    it('takes a report out of public view at once and puts it back, kept for staff and its reporter', async () => {
      const report = await file();
      const hidden = await post(staffA, `/api/v1/reports/${report.id}/hide`, { version: report.version, reason: 'Insults in the text' }).expect(200);
      expect(hidden.body.staff).toMatchObject({ hidden: true });
      for (const who of [undefined, citizen, staffB]) await get(report.id, who).expect(404);
      for (const who of [reporter, staffA, admin]) await get(report.id, who).expect(200);
      const list = (await t.http.get(`/api/v1/municipalities/${a.slug}/reports?limit=200`).expect(200)).body;
      expect(list.items.map((r: View) => r.id)).not.toContain(report.id);

      expect((await post(staffA, `/api/v1/reports/${report.id}/unhide`, { version: report.version, reason: 'Edited' }).expect(409)).body.code).toBe('STALE_VERSION');
      const shown = await post(staffA, `/api/v1/reports/${report.id}/unhide`, { version: hidden.body.version, reason: 'Text redacted' }).expect(200);
      expect(shown.body.staff).toMatchObject({ hidden: false });
      await get(report.id).expect(200);
      const kinds = (await staffA.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(200)).body.map((c: { kind: string; reason: string }) => [c.kind, c.reason]);
      expect(kinds).toEqual([
        ['hidden', 'Insults in the text'],
        ['unhidden', 'Text redacted'],
      ]);
      const actions = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [report.id]);
      expect(actions.map((r: { action: string }) => r.action)).toEqual(['report.hidden', 'report.unhidden']);
    });

    it('is for staff of the report’s town only', async () => {
      const report = await file();
      const body = { version: report.version, reason: 'Because' };
      await post(undefined, `/api/v1/reports/${report.id}/hide`, body).expect(401);
      for (const who of [citizen, reporter, staffB]) {
        await post(who, `/api/v1/reports/${report.id}/hide`, body).expect(403);
        await post(who, `/api/v1/reports/${report.id}/unhide`, body).expect(403);
      }
      await post(staffA, `/api/v1/reports/${report.id}/hide`, { version: report.version }).expect(400);
      await get(report.id).expect(200);
      await post(undefined, `/api/v1/reports/${report.id}/unhide`, body).expect(401);
      const byAdmin = await post(admin, `/api/v1/reports/${report.id}/hide`, body).expect(200);
      await post(admin, `/api/v1/reports/${report.id}/unhide`, { version: byAdmin.body.version, reason: 'Back' }).expect(200);
      await admin.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(200);
    });

    it('refuses every staff route to a staff member whose account was erased', async () => {
      const report = await file();
      const leaving = await memberSession(t.http, admin.accessToken, a.slug, ['staff']);
      await leaving.auth(t.http.delete('/api/v1/me')).send({ password: leaving.user.password }).expect(204);
      const body = { version: report.version, reason: 'Because' };
      await post(leaving, `/api/v1/reports/${report.id}/hide`, body).expect(401);
      await leaving.auth(t.http.patch(`/api/v1/reports/${report.id}/correction`)).send({ version: report.version, description: 'Gone' }).expect(401);
      await post(leaving, `/api/v1/reports/${report.id}/transfer`, { version: report.version, municipality: b.slug, categoryCode: roadsB, location: near(b) }).expect(401);
      await leaving.auth(t.http.get(`/api/v1/reports/${report.id}/corrections`)).expect(401);
      await post(leaving, `/api/v1/municipalities/${a.slug}/reports/assisted`, {}).expect(401);
      await leaving.auth(t.http.get(`/api/v1/municipalities/${a.slug}/triage?q=trou`)).expect(401);
      expect((await get(report.id).expect(200)).body.version).toBe(report.version);
    });
  });
});
