import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';

describe('reports: the reporter edits or withdraws while it is new', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let reporter: Session;
  let citizen: Session;
  let categoryCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken);
    other = await createMunicipality(t.http, admin.accessToken);
    const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    reporter = await createSession(t.http, { displayName: 'Rita Reporter' });
    citizen = await createSession(t.http);
    categoryCode = (await createCategory(t.http, townAdmin.accessToken, town.slug)).code;
  });
  afterAll(() => t.close());

  const file = (s: Session = reporter, description = 'Broken bench near the fountain') => createReport(t.http, s.accessToken, town, categoryCode, { description });
  const edit = (s: Session | null, id: string, body: object) => {
    const req = t.http.patch(`/api/v1/reports/${id}`);
    return (s ? s.auth(req) : req).send(body);
  };
  const withdraw = (s: Session | null, id: string, body: object = {}) => {
    const req = t.http.post(`/api/v1/reports/${id}/withdraw`);
    return (s ? s.auth(req) : req).send(body);
  };
  const acknowledge = async (id: string) => {
    const { version } = (await t.http.get(`/api/v1/reports/${id}`).expect(200)).body as { version: number };
    await staff.auth(t.http.patch(`/api/v1/reports/${id}/triage`)).set('If-Match', `"${version}"`).send({ status: 'acknowledged' }).expect(200);
  };
  const events = (type: string, id: string) =>
    db.query(`SELECT payload, actor_id FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY id`, [type, id]) as Promise<Array<{ payload: Record<string, unknown>; actor_id: string }>>;

  describe('PATCH /api/v1/reports/:id (description)', () => {
    it('changes the description, keeps the previous one for staff only, audits it and announces it', async () => {
      const report = await file();
      const res = await edit(reporter, report.id, { description: '  Broken bench, two slats missing  ' }).expect(200);
      expect(res.body).toMatchObject({ id: report.id, description: 'Broken bench, two slats missing', status: 'new', version: report.version + 1 });

      const staffLine = ((await staff.auth(t.http.get(`/api/v1/reports/${report.id}/timeline`)).expect(200)).body as Array<Record<string, unknown>>).find((l) => l.type === 'description_edited');
      expect(staffLine).toMatchObject({ visibility: 'internal', by: 'reporter', data: { previousDescription: 'Broken bench near the fountain' } });
      for (const viewer of [null, reporter, citizen, otherStaff]) {
        const req = t.http.get(`/api/v1/reports/${report.id}/timeline`);
        const lines = (await (viewer ? viewer.auth(req) : req).expect(200)).body as Array<{ type: string }>;
        expect(lines.map((l) => l.type)).not.toContain('description_edited');
        expect(JSON.stringify(lines)).not.toContain('near the fountain');
      }
      const [audit] = await db.query(`SELECT actor_id, before, after FROM audit_log WHERE action = 'report.description_edited' AND target_id = $1`, [report.id]);
      expect(audit).toMatchObject({ actor_id: reporter.user.id, before: { version: report.version }, after: { version: report.version + 1, fields: ['description'] } });
      expect(await events('report.edited', report.id)).toEqual([{ payload: expect.objectContaining({ reportId: report.id, fields: ['description'] }), actor_id: reporter.user.id }]);
    });

    it('refuses once the report is acknowledged: 409 REPORT_NOT_EDITABLE naming the status, nothing changed', async () => {
      const report = await file();
      await acknowledge(report.id);
      const res = await edit(reporter, report.id, { description: 'Something else entirely' }).expect(409);
      expect(res.body).toMatchObject({ code: 'REPORT_NOT_EDITABLE' });
      expect(JSON.stringify(res.body.meta)).toContain('acknowledged');
      expect((await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body.description).toBe('Broken bench near the fountain');
    });

    it('is for the reporter alone: anonymous 401, another citizen and staff 403, unknown 404', async () => {
      const report = await file();
      expect((await edit(null, report.id, { description: 'Hijacked text' }).expect(401)).body.code).toBe('UNAUTHENTICATED');
      expect((await edit(citizen, report.id, { description: 'Hijacked text' }).expect(403)).body.code).toBe('NOT_REPORTER');
      // Staff correct reports through triage, not by rewriting the citizen's words here.
      expect((await edit(staff, report.id, { description: 'Hijacked text' }).expect(403)).body.code).toBe('NOT_REPORTER');
      expect((await edit(otherStaff, report.id, { description: 'Hijacked text' }).expect(403)).body.code).toBe('NOT_REPORTER');
      await edit(reporter, '5b0c7a35-0000-4000-8000-000000000000', { description: 'Nothing there' }).expect(404);
      expect((await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body.description).toBe('Broken bench near the fountain');
    });

    it('validates the body, naming the field', async () => {
      const report = await file();
      for (const [body, field] of [
        [{}, 'description'],
        [{ description: 'x' }, 'description'],
        [{ description: 'x'.repeat(5001) }, 'description'],
        [{ description: 'Fine text', status: 'closed' }, 'status'],
      ] as Array<[object, string]>) {
        const res = await edit(reporter, report.id, body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await edit(reporter, 'not-a-uuid', { description: 'Fine text' }).expect(400);
    });

    it('on a report moderation hid: its reporter still may, its staff get 403, anyone else 404 as over GET', async () => {
      const report = await file();
      const flag = await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/flags`)).send({ reason: 'spam' }).expect(201);
      await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
      for (const outsider of [citizen, otherStaff]) {
        expect((await edit(outsider, report.id, { description: 'Hijacked text' }).expect(404)).body.code).toBe('REPORT_NOT_FOUND');
        expect((await withdraw(outsider, report.id).expect(404)).body.code).toBe('REPORT_NOT_FOUND');
      }
      expect((await edit(staff, report.id, { description: 'Hijacked text' }).expect(403)).body.code).toBe('NOT_REPORTER');
      await edit(reporter, report.id, { description: 'Reworded, calmly' }).expect(200);
      await withdraw(reporter, report.id).expect(200);
    });

    it('an erased reporter can no longer edit, and owns nothing: the session is gone', async () => {
      const leaving = await createSession(t.http);
      const report = await file(leaving);
      await leaving.auth(t.http.delete('/api/v1/me')).send({ password: leaving.user.password }).expect(204);
      await edit(leaving, report.id, { description: 'From beyond' }).expect(401);
      await withdraw(leaving, report.id).expect(401);
      // Nobody inherits the report's ownership: another signed-in citizen is still refused.
      expect((await withdraw(citizen, report.id).expect(403)).body.code).toBe('NOT_REPORTER');
    });
  });

  describe('POST /api/v1/reports/:id/withdraw', () => {
    it('moves a new report to withdrawn: public timeline line, status change event, closed for Open311', async () => {
      const report = await file();
      const res = await withdraw(reporter, report.id, { reason: 'A neighbour fixed it' }).expect(200);
      expect(res.body).toMatchObject({ id: report.id, status: 'withdrawn' });

      const lines = (await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200)).body as Array<Record<string, unknown>>;
      expect(lines.at(-1)).toMatchObject({ type: 'withdrawn', visibility: 'public', fromStatus: 'new', toStatus: 'withdrawn', message: 'A neighbour fixed it', by: 'reporter' });
      expect(await events('report.status_changed', report.id)).toEqual([
        { payload: expect.objectContaining({ from: 'new', to: 'withdrawn', reporterId: reporter.user.id }), actor_id: reporter.user.id },
      ]);
      const [audit] = await db.query(`SELECT actor_id, after FROM audit_log WHERE action = 'report.withdrawn' AND target_id = $1`, [report.id]);
      expect(audit).toMatchObject({ actor_id: reporter.user.id, after: { status: 'withdrawn' } });
      // Off the "is it already reported?" answers, listed under its status.
      const list = (await t.http.get(`/api/v1/municipalities/${town.slug}/reports?status=withdrawn`).expect(200)).body as { items: Array<{ id: string }> };
      expect(list.items.map((r) => r.id)).toContain(report.id);
      const nearby = (await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?lat=${town.center[1]}&lng=${town.center[0]}`).expect(200)).body as Array<{ id: string }>;
      expect(nearby.map((r) => r.id)).not.toContain(report.id);
      // Open311 knows "closed" only; the note says who closed it.
      const [open311] = (await t.http.get(`/open311/v2/requests/${report.number}.json?jurisdiction_id=${town.slug}`).expect(200)).body as Array<Record<string, unknown>>;
      expect(open311).toMatchObject({ status: 'closed', status_notes: 'Retiré par la personne qui l’avait signalé: A neighbour fixed it' });
      // Staff can no longer move it.
      const { version } = (await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body as { version: number };
      const refused = await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${version}"`).send({ status: 'acknowledged' }).expect(409);
      expect(refused.body.code).toBe('ILLEGAL_TRANSITION');
    });

    it('refuses twice, and once acknowledged: 409 ILLEGAL_TRANSITION naming the state', async () => {
      const report = await file();
      await withdraw(reporter, report.id).expect(200);
      const again = await withdraw(reporter, report.id).expect(409);
      expect(again.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      expect(again.body.message).toContain('withdrawn');

      const acknowledged = await file();
      await acknowledge(acknowledged.id);
      const res = await withdraw(reporter, acknowledged.id).expect(409);
      expect(res.body.code).toBe('ILLEGAL_TRANSITION');
      expect(res.body.message).toContain('acknowledged');
      expect((await t.http.get(`/api/v1/reports/${acknowledged.id}`).expect(200)).body.status).toBe('acknowledged');
    });

    it('is for the reporter alone', async () => {
      const report = await file();
      await withdraw(null, report.id).expect(401);
      expect((await withdraw(citizen, report.id).expect(403)).body.code).toBe('NOT_REPORTER');
      expect((await withdraw(staff, report.id).expect(403)).body.code).toBe('NOT_REPORTER');
      expect((await withdraw(otherStaff, report.id).expect(403)).body.code).toBe('NOT_REPORTER');
      expect((await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body.status).toBe('new');
      const res = await withdraw(reporter, report.id, { reason: 'x'.repeat(1001) }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('reason');
    });
  });
});
