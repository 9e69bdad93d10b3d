import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ResolutionService } from '@app/reports';
import { plainPhoto } from '../fixtures/images';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near, ReportOverrides } from '../factories/report.factory';

type Report = { id: string; number: string; status: string; version: number; [key: string]: unknown };

describe('reports: staff triage', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let staff2: Session;
  let otherStaff: Session;
  let citizen: Session;
  let neighbour: Session;
  let category: { code: string };
  let otherCategory: { code: string };
  let storageDir: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-triage-e2e-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Triageville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Elsewhere' });
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    staff2 = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Beta' });
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http, { displayName: 'Rita Reporter' });
    neighbour = await createSession(t.http, { displayName: 'Nina Neighbour' });
    category = await createCategory(t.http, townAdmin.accessToken, town.slug, { department: 'roads' });
    otherCategory = await createCategory(t.http, admin.accessToken, other.slug);
  });
  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  const file = (overrides: ReportOverrides = {}, by: Session = citizen) => createReport(t.http, by.accessToken, town, category.code, overrides) as Promise<Report>;
  const triage = (s: Session, id: string, body: Record<string, unknown>, version?: number | string) => {
    const req = s.auth(t.http.patch(`/api/v1/reports/${id}/triage`));
    return (version === undefined ? req : req.set('If-Match', typeof version === 'number' ? `"${version}"` : version)).send(body);
  };
  const step = async (id: string, body: Record<string, unknown>, version: number, s: Session = staff): Promise<Report> => {
    const res = await triage(s, id, body, version);
    if (res.status !== 200) throw new Error(`triage ${JSON.stringify(body)} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Report;
  };
  const timeline = async (id: string, s?: Session) => {
    const req = t.http.get(`/api/v1/reports/${id}/timeline`);
    const res = await (s ? s.auth(req) : req).expect(200);
    return res.body as Array<{ type: string; visibility: string; fromStatus: string | null; toStatus: string | null; message: string | null; by: string; data: Record<string, unknown> }>;
  };
  const outbox = (type: string, reportId: string) =>
    db.query(`SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY id`, [type, reportId]) as Promise<Array<{ payload: Record<string, unknown> }>>;

  describe('lifecycle', () => {
    it('takes a problem through its whole life, stamping each step, with ETag, timeline, audit and events', async () => {
      const report = await file();
      const res = await triage(staff, report.id, { status: 'acknowledged' }, report.version).expect(200);
      expect(res.headers.etag).toBe(`"${report.version + 1}"`);
      expect(res.body).toMatchObject({ status: 'acknowledged', version: report.version + 1, staff: { priority: 'normal' } });
      expect(res.body.acknowledgedAt).not.toBeNull();

      const started = await step(report.id, { status: 'in_progress' }, res.body.version);
      const resolved = await step(report.id, { status: 'resolved' }, started.version);
      expect(resolved.resolvedAt).not.toBeNull();
      const closed = await step(report.id, { status: 'closed' }, resolved.version);
      expect(closed).toMatchObject({ status: 'closed', open311Status: 'closed' });
      expect(closed.closedAt).not.toBeNull();

      const lines = (await timeline(report.id)).filter((l) => l.type === 'status_changed');
      expect(lines.map((l) => [l.fromStatus, l.toStatus, l.visibility, l.by])).toEqual([
        ['new', 'acknowledged', 'public', 'city'],
        ['acknowledged', 'in_progress', 'public', 'city'],
        ['in_progress', 'resolved', 'public', 'city'],
        ['resolved', 'closed', 'public', 'city'],
      ]);
      const changes = await outbox('report.status_changed', report.id);
      expect(changes.map((e) => e.payload.to)).toEqual(['acknowledged', 'in_progress', 'resolved', 'closed']);
      expect((await outbox('report.triaged', report.id)).length).toBe(4);

      const audit = await townAdmin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit`).query({ action: 'report.triaged', targetId: report.id })).expect(200);
      expect(audit.body.items).toHaveLength(4);
      expect(audit.body.items[audit.body.items.length - 1]).toMatchObject({ before: { status: 'new' }, after: { status: 'acknowledged' } });
    });

    it('refuses an illegal transition with 409 listing the allowed ones', async () => {
      const report = await file();
      const res = await triage(staff, report.id, { status: 'resolved' }, report.version).expect(409);
      expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', meta: { from: 'new', to: 'resolved', allowed: ['acknowledged', 'rejected'] } });
      const after = await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(after.body).toMatchObject({ status: 'new', version: report.version });
    });

    it('never puts a compliment in progress', async () => {
      const compliment = await file({ kind: 'compliment', description: 'Thank you for the new benches' });
      const ack = await step(compliment.id, { status: 'acknowledged' }, compliment.version);
      const res = await triage(staff, compliment.id, { status: 'in_progress' }, ack.version).expect(409);
      expect(res.body.meta.allowed).toEqual(['closed', 'rejected']);
      await triage(staff, compliment.id, { status: 'closed' }, ack.version).expect(200);
    });

    it('rejects with a reason; spam leaves public view; a duplicate names its original', async () => {
      const original = await file();
      const report = await file();
      const noReason = await triage(staff, report.id, { status: 'rejected' }, report.version).expect(400);
      expect(noReason.body.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
      await triage(staff, report.id, { status: 'rejected', reason: 'duplicate' }, report.version).expect(400);
      const self = await triage(staff, report.id, { status: 'rejected', reason: 'duplicate', duplicateOfId: report.id }, report.version).expect(422);
      expect(self.body.code).toBe('INVALID_DUPLICATE');

      const dup = await step(report.id, { status: 'rejected', reason: 'duplicate', duplicateOfId: original.id }, report.version);
      expect(dup).toMatchObject({ status: 'rejected', rejectReason: 'duplicate', duplicateOf: { id: original.id, number: original.number } });
      expect((await outbox('report.status_changed', report.id))[0].payload).toMatchObject({ from: 'new', to: 'rejected', reason: 'duplicate' });

      const spam = await file({ description: 'Buy cheap watches now' });
      await step(spam.id, { status: 'rejected', reason: 'spam' }, spam.version);
      await t.http.get(`/api/v1/reports/${spam.id}`).expect(404);
      const seenByStaff = await staff.auth(t.http.get(`/api/v1/reports/${spam.id}`)).expect(200);
      expect(seenByStaff.body.staff.hidden).toBe(true);
    });
  });

  describe('re-categorising and deadlines', () => {
    it('moves a report to another category, its department and its deadlines with it', async () => {
      const slow = await createCategory(t.http, townAdmin.accessToken, town.slug, {
        department: 'green-spaces',
        serviceLevels: { normal: { resolveWithin: { amount: 20, unit: 'days' } }, high: { resolveWithin: { amount: 5, unit: 'days' } } },
      });
      const report = await file();
      const before = await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(before.body.staff).toMatchObject({ department: 'roads', resolveDueAt: null });

      const moved = await step(report.id, { categoryCode: slow.code }, report.version);
      expect(moved).toMatchObject({ category: { code: slow.code }, staff: { department: 'green-spaces' } });
      const normalDue = (moved.staff as { resolveDueAt: string }).resolveDueAt;
      expect(new Date(normalDue).getTime()).toBeGreaterThan(new Date(before.body.createdAt).getTime() + 20 * 24 * 3600_000);
      expect(moved.expectedAt).toBe(normalDue);

      const urgent = await step(report.id, { priority: 'high' }, moved.version);
      const highDue = (urgent.staff as { resolveDueAt: string }).resolveDueAt;
      expect(new Date(highDue).getTime()).toBeLessThan(new Date(normalDue).getTime());
      const line = (await timeline(report.id, staff)).filter((l) => l.type === 'triaged').pop()!;
      expect(line).toMatchObject({ visibility: 'internal', data: { changes: { priority: { from: 'normal', to: 'high' }, resolveDueAt: { from: normalDue, to: highDue } } } });

      const unknown = await triage(staff, report.id, { categoryCode: 'no-such-category' }, urgent.version).expect(422);
      expect(unknown.body.code).toBe('CATEGORY_NOT_FOUND');
    });
  });

  describe('optimistic concurrency', () => {
    it('gives the second of two agents who saw the same version a 409 STALE_VERSION', async () => {
      const report = await file();
      await triage(staff, report.id, { priority: 'high' }, report.version).expect(200);
      const stale = await triage(staff2, report.id, { priority: 'low' }, report.version).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', meta: { yourVersion: report.version, currentVersion: report.version + 1 } });
      const now = await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(now.body.staff.priority).toBe('high');
    });

    it('lets exactly one of two simultaneous agents win', async () => {
      const report = await file();
      const [a, b] = await Promise.all([
        triage(staff, report.id, { assigneeId: staff.user.id }, report.version),
        triage(staff2, report.id, { assigneeId: staff2.user.id }, report.version),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? staff : staff2;
      const now = await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(now.body.staff.assignee.id).toBe(winner.user.id);
      expect(now.body.version).toBe(report.version + 1);
    });

    it('takes the version from the body, bare or quoted If-Match, and requires one of them', async () => {
      const report = await file();
      const v2 = await triage(staff, report.id, { priority: 'high', version: report.version }).expect(200);
      const v3 = await triage(staff, report.id, { priority: 'urgent' }, String(v2.body.version)).expect(200);
      await triage(staff, report.id, { priority: 'low' }, `W/"${v3.body.version}"`).expect(200);
      const missing = await triage(staff, report.id, { priority: 'normal' }).expect(400);
      expect(missing.body).toMatchObject({ code: 'VERSION_REQUIRED', details: [{ field: 'version' }] });
      await triage(staff, report.id, { priority: 'normal' }, 'banana').expect(400);
      await triage(staff, report.id, { priority: 'normal', version: 1 }, '"2"').expect(400);
      await triage(staff, report.id, {}, report.version).expect(400);
      await triage(staff, report.id, { priority: 'critical' }, report.version).expect(400);
      await triage(staff, 'not-a-uuid', { priority: 'high' }, 1).expect(400);
    });
  });

  describe('access', () => {
    let report: Report;
    beforeAll(async () => {
      report = await file();
    });

    it('refuses citizens, the reporter included, on every triage route', async () => {
      for (const who of [citizen, neighbour]) {
        await triage(who, report.id, { status: 'acknowledged' }, report.version).expect(403);
        await who.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`)).expect(403);
        await who.auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`)).send({ items: [{ id: report.id, version: report.version }], changes: { priority: 'high' } }).expect(403);
        await who.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Hello', visibility: 'public' }).expect(403);
        await who.auth(t.http.post(`/api/v1/reports/${report.id}/merge`)).send({ intoId: report.id, version: report.version }).expect(403);
      }
      await t.http.get(`/api/v1/municipalities/${town.slug}/triage`).expect(401);
    });

    it("refuses another municipality's staff with 403", async () => {
      await triage(otherStaff, report.id, { status: 'acknowledged' }, report.version).expect(403);
      await otherStaff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`)).expect(403);
      await otherStaff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Hello', visibility: 'internal' }).expect(403);
    });

    it('lets the municipality admin and the platform admin triage', async () => {
      const v2 = await step(report.id, { priority: 'high' }, report.version, townAdmin);
      await step(report.id, { priority: 'low' }, v2.version, admin);
    });

    it('assigns only to staff of the municipality (422 otherwise), internally on the timeline', async () => {
      const fresh = await file();
      const notStaff = await triage(staff, fresh.id, { assigneeId: citizen.user.id }, fresh.version).expect(422);
      expect(notStaff.body.code).toBe('ASSIGNEE_NOT_STAFF');
      await triage(staff, fresh.id, { assigneeId: otherStaff.user.id }, fresh.version).expect(422);
      const assigned = await step(fresh.id, { assigneeId: staff2.user.id, department: 'lighting' }, fresh.version);
      expect(assigned.staff).toMatchObject({ assignee: { id: staff2.user.id, name: 'Agent Beta' }, department: 'lighting' });
      expect((await outbox('report.assigned', fresh.id))[0].payload).toMatchObject({ assigneeId: staff2.user.id, previousAssigneeId: null });
      expect((await timeline(fresh.id)).map((l) => l.type)).not.toContain('assigned');
      expect((await timeline(fresh.id, staff)).find((l) => l.type === 'assigned')).toMatchObject({ visibility: 'internal', data: { assigneeId: staff2.user.id } });
      const unassigned = await step(fresh.id, { assigneeId: null }, assigned.version);
      expect((unassigned.staff as { assignee: unknown }).assignee).toBeNull();
    });
  });

  describe('bulk', () => {
    const bulk = (s: Session, body: Record<string, unknown>, slug = town.slug) => s.auth(t.http.post(`/api/v1/municipalities/${slug}/triage/bulk`)).send(body);

    it('changes nothing when one report cannot take the change, naming it', async () => {
      const a = await file();
      const b = await file();
      const c = await file();
      const acked = await step(c.id, { status: 'acknowledged' }, c.version);
      const started = await step(c.id, { status: 'in_progress' }, acked.version);
      const res = await bulk(staff, { items: [a, b, { id: c.id, version: started.version }].map(({ id, version }) => ({ id, version })), changes: { status: 'acknowledged', priority: 'high' } }).expect(422);
      expect(res.body).toMatchObject({ code: 'BULK_TRIAGE_REFUSED', meta: { failedIds: [c.id] } });
      expect(res.body.meta.failures[0]).toMatchObject({ id: c.id, code: 'ILLEGAL_TRANSITION', meta: { allowed: ['resolved', 'rejected'] } });
      for (const [r, status, version] of [[a, 'new', a.version], [b, 'new', b.version], [c, 'in_progress', started.version]] as const) {
        const now = await staff.auth(t.http.get(`/api/v1/reports/${r.id}`)).expect(200);
        expect(now.body).toMatchObject({ status, version, staff: { priority: 'normal' } });
      }
    });

    it("refuses another municipality's report in the lot", async () => {
      const mine = await file();
      const foreign = await createReport(t.http, citizen.accessToken, other, otherCategory.code, { location: near(other) });
      const res = await bulk(staff, { items: [mine, foreign].map(({ id, version }) => ({ id, version })), changes: { priority: 'urgent' } }).expect(422);
      expect(res.body.meta.failedIds).toEqual([foreign.id]);
      const now = await staff.auth(t.http.get(`/api/v1/reports/${mine.id}`)).expect(200);
      expect(now.body.staff.priority).toBe('normal');
    });

    it('applies the changes to all of them at once', async () => {
      const a = await file();
      const b = await file();
      const res = await bulk(staff, { items: [b, a].map(({ id, version }) => ({ id, version })), changes: { status: 'acknowledged', assigneeId: staff.user.id, department: 'parks' } }).expect(200);
      expect(res.body.items.map((r: Report) => r.id)).toEqual([b.id, a.id]);
      for (const r of res.body.items) expect(r).toMatchObject({ status: 'acknowledged', staff: { assignee: { id: staff.user.id }, department: 'parks' } });
      expect((await outbox('report.status_changed', a.id)).length).toBe(1);
    });

    it('refuses the lot with 409 when a report changed since it was seen, naming it, and changes nothing', async () => {
      const a = await file();
      const b = await file();
      const moved = await step(b.id, { priority: 'low' }, b.version);
      const res = await bulk(staff, { items: [a, b].map(({ id, version }) => ({ id, version })), changes: { priority: 'urgent' } }).expect(409);
      expect(res.body).toMatchObject({ code: 'BULK_TRIAGE_REFUSED', meta: { failedIds: [b.id] } });
      expect(res.body.meta.failures[0]).toMatchObject({ id: b.id, code: 'STALE_VERSION' });
      for (const [r, priority, version] of [[a, 'normal', a.version], [b, 'low', moved.version]] as const) {
        const now = (await staff.auth(t.http.get(`/api/v1/reports/${r.id}`)).expect(200)).body;
        expect(now).toMatchObject({ version, staff: { priority } });
      }
      await bulk(staff, { items: [{ id: a.id, version: a.version }, { id: b.id, version: moved.version }], changes: { priority: 'urgent' } }).expect(200);
    });

    it('validates the request', async () => {
      await bulk(staff, { items: [], changes: { priority: 'high' } }).expect(400);
      await bulk(staff, { items: [{ id: 'nope', version: 1 }], changes: { priority: 'high' } }).expect(400);
      const r = await file();
      const item = { id: r.id, version: r.version };
      await bulk(staff, { items: [item], changes: {} }).expect(400);
      await bulk(staff, { items: [item, item], changes: { priority: 'high' } }).expect(400);
      await bulk(staff, { items: [{ id: r.id }], changes: { priority: 'high' } }).expect(400);
      await bulk(staff, { ids: [r.id], changes: { priority: 'high' } }).expect(400);
      await bulk(staff, { items: Array.from({ length: 101 }, () => item), changes: { priority: 'high' } }).expect(400);
      const notStaff = await bulk(staff, { items: [item], changes: { assigneeId: citizen.user.id } }).expect(422);
      expect(notStaff.body.code).toBe('ASSIGNEE_NOT_STAFF');
    });
  });

  describe('updates', () => {
    it('shows public updates to everyone and internal ones to staff only', async () => {
      const report = await file();
      const pub = await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: '  A crew is on its way  ', visibility: 'public' }).expect(201);
      expect(pub.body).toMatchObject({ type: 'update', visibility: 'public', message: 'A crew is on its way', by: 'city' });
      await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Needs the big truck', visibility: 'internal' }).expect(201);

      const seenByPublic = (await timeline(report.id)).filter((l) => l.type === 'update');
      expect(seenByPublic.map((l) => l.message)).toEqual(['A crew is on its way']);
      const seenByReporter = (await timeline(report.id, citizen)).filter((l) => l.type === 'update');
      expect(seenByReporter.map((l) => l.message)).toEqual(['A crew is on its way']);
      const seenByStaff = (await timeline(report.id, staff)).filter((l) => l.type === 'update');
      expect(seenByStaff.map((l) => [l.message, l.visibility])).toEqual([
        ['A crew is on its way', 'public'],
        ['Needs the big truck', 'internal'],
      ]);
      const events = await outbox('report.updated', report.id);
      expect(events.map((e) => e.payload.visibility)).toEqual(['public', 'internal']);
      expect(events[0].payload).toMatchObject({ message: 'A crew is on its way', reporterId: citizen.user.id });
    });

    it('validates the message', async () => {
      const report = await file();
      for (const body of [{ message: '', visibility: 'public' }, { message: 'x'.repeat(5001), visibility: 'public' }, { message: 'Hi', visibility: 'secret' }, { message: 'Hi' }]) {
        await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send(body).expect(400);
      }
    });
  });

  describe('merge', () => {
    it("rejects the duplicate, moves its supporters and reporter to the original, and says where to follow", async () => {
      const original = await file({ description: 'Broken street light at the corner' });
      const duplicate = await file({ description: 'Lamp post dark since Monday' }, neighbour);
      const supporter = await createSession(t.http);
      await supporter.auth(t.http.post(`/api/v1/reports/${duplicate.id}/support`)).expect(200);
      const photo = await neighbour
        .auth(t.http.post(`/api/v1/reports/${duplicate.id}/photos`))
        .attach('photo', await plainPhoto('jpeg'), { filename: 'lamp.jpg', contentType: 'image/jpeg' })
        .expect(201);

      const res = await staff.auth(t.http.post(`/api/v1/reports/${duplicate.id}/merge`)).send({ intoId: original.id, version: duplicate.version }).expect(200);
      expect(res.body.source).toMatchObject({ id: duplicate.id, status: 'rejected', rejectReason: 'duplicate', duplicateOf: { id: original.id, number: original.number } });
      expect(res.body.target).toMatchObject({ id: original.id, status: 'new', supportCount: 2 });
      expect(res.body.target.version).toBe(original.version + 1);
      // The duplicate's photos now illustrate the original.
      expect(res.body.target.photos.map((p: { id: string }) => p.id)).toEqual([photo.body.id]);
      expect(res.body.source.photos).toEqual([]);

      for (const who of [neighbour, supporter]) {
        const view = await who.auth(t.http.get(`/api/v1/reports/${original.id}`)).expect(200);
        expect(view.body.supportedByMe).toBe(true);
        const follow = await who.auth(t.http.get(`/api/v1/reports/${original.id}/follow`)).expect(200);
        expect(follow.body.following).toBe(true);
      }
      const sourceLine = (await timeline(duplicate.id)).find((l) => l.type === 'merged_into');
      expect(sourceLine).toMatchObject({ visibility: 'public', toStatus: 'rejected', data: { into: { id: original.id, number: original.number } } });
      expect(sourceLine!.message).toContain(`#${original.number}`);
      expect((await timeline(original.id)).find((l) => l.type === 'merged_from')).toMatchObject({ data: { from: { id: duplicate.id }, supportersJoined: 2, photosMoved: 1 } });
      expect((await outbox('report.merged', duplicate.id))[0].payload).toMatchObject({ intoId: original.id, intoNumber: original.number, reporterId: neighbour.user.id });
      expect((await outbox('report.status_changed', duplicate.id))[0].payload).toMatchObject({ to: 'rejected', reason: 'duplicate' });
    });

    it("adds the duplicate's photos to the original's photo count, and takes them off the duplicate's", async () => {
      const original = await file({ description: 'Overflowing bin by the bus stop' });
      const duplicate = await file({ description: 'Bin full again at the stop' }, neighbour);
      const attach = async (who: Session, reportId: string) =>
        who
          .auth(t.http.post(`/api/v1/reports/${reportId}/photos`))
          .attach('photo', await plainPhoto('jpeg', 64, 64), { filename: 'bin.jpg', contentType: 'image/jpeg' })
          .expect(201);
      await attach(citizen, original.id);
      await attach(neighbour, duplicate.id);
      await attach(neighbour, duplicate.id);
      const storedCounts = async () =>
        Object.fromEntries(
          ((await db.query(`SELECT id, photo_count FROM reports WHERE id = ANY($1::uuid[])`, [[original.id, duplicate.id]])) as Array<{ id: string; photo_count: number }>).map(
            (r) => [r.id, r.photo_count],
          ),
        );
      expect(await storedCounts()).toEqual({ [original.id]: 1, [duplicate.id]: 2 });

      const res = await staff.auth(t.http.post(`/api/v1/reports/${duplicate.id}/merge`)).send({ intoId: original.id, version: duplicate.version }).expect(200);
      expect(res.body.target).toMatchObject({ photoCount: 3 });
      expect(res.body.target.photos).toHaveLength(3);
      expect(res.body.source).toMatchObject({ photoCount: 0, photos: [] });
      expect(await storedCounts()).toEqual({ [original.id]: 3, [duplicate.id]: 0 });
      const view = await t.http.get(`/api/v1/reports/${original.id}`).expect(200);
      expect(view.body.photoCount).toBe(3);
    });

    it('keeps both counts right when photos arrive during a merge (no deadlock, no lost update)', async () => {
      const photo = await plainPhoto('jpeg', 32, 32);
      const attach = (who: Session, reportId: string) =>
        who.auth(t.http.post(`/api/v1/reports/${reportId}/photos`)).attach('photo', photo, { filename: 'p.jpg', contentType: 'image/jpeg' });
      // The merge starts a little later each round, so some round catches an upload between its
      // photo lock and its count update (without the merge taking the photo locks first, this
      // deadlocked within a few rounds).
      for (let round = 0; round < 10; round++) {
        const original = await file();
        const duplicate = await file({}, neighbour);
        await attach(neighbour, duplicate.id).expect(201);
        const [merge, ...uploads] = await Promise.all([
          new Promise((r) => setTimeout(r, round * 4)).then(() => staff.auth(t.http.post(`/api/v1/reports/${duplicate.id}/merge`)).send({ intoId: original.id, version: duplicate.version })),
          attach(citizen, original.id),
          attach(staff, original.id),
          attach(neighbour, duplicate.id),
        ]);
        expect(merge.status).toBe(200);
        expect(uploads.map((u) => u.status)).toEqual([201, 201, 201]);
        const rows = (await db.query(
          `SELECT r.id, r.photo_count, (SELECT count(*)::int FROM attachments a WHERE a.subject_type = 'report' AND a.subject_id = r.id) AS stored
             FROM reports r WHERE r.id = ANY($1::uuid[])`,
          [[original.id, duplicate.id]],
        )) as Array<{ id: string; photo_count: number; stored: number }>;
        for (const row of rows) expect(row.photo_count).toBe(row.stored);
        expect(rows.reduce((sum, r) => sum + r.stored, 0)).toBe(4);
      }
    });

    it('checks the versions like a single triage: required for the duplicate, compared for both', async () => {
      const original = await file();
      const duplicate = await file();
      const merge = (body: Record<string, unknown>, ifMatch?: string) => {
        const req = staff.auth(t.http.post(`/api/v1/reports/${duplicate.id}/merge`));
        return (ifMatch ? req.set('If-Match', ifMatch) : req).send({ intoId: original.id, ...body });
      };
      expect((await merge({}).expect(400)).body.code).toBe('VERSION_REQUIRED');
      const changed = await step(duplicate.id, { priority: 'high' }, duplicate.version);
      expect((await merge({ version: duplicate.version }).expect(409)).body.code).toBe('STALE_VERSION');
      const moved = await step(original.id, { priority: 'low' }, original.version);
      expect((await merge({ version: changed.version, intoVersion: original.version }).expect(409)).body.code).toBe('STALE_VERSION');
      const now = (await staff.auth(t.http.get(`/api/v1/reports/${duplicate.id}`)).expect(200)).body;
      expect(now).toMatchObject({ status: 'new', version: changed.version });
      const done = await merge({ intoVersion: moved.version }, `"${changed.version}"`).expect(200);
      expect(done.body.source.status).toBe('rejected');
    });

    it('refuses a merge into itself, into another town, into a closed report, or of a closed report', async () => {
      const a = await file();
      const self = await staff.auth(t.http.post(`/api/v1/reports/${a.id}/merge`)).send({ intoId: a.id, version: a.version }).expect(422);
      expect(self.body.code).toBe('MERGE_INTO_ITSELF');
      const foreign = await createReport(t.http, citizen.accessToken, other, otherCategory.code, { location: near(other) });
      const across = await staff.auth(t.http.post(`/api/v1/reports/${a.id}/merge`)).send({ intoId: foreign.id, version: a.version }).expect(422);
      expect(across.body.code).toBe('MERGE_ACROSS_MUNICIPALITIES');

      const closed = await file();
      const rejected = await step(closed.id, { status: 'rejected', reason: 'invalid' }, closed.version);
      const intoClosed = await staff.auth(t.http.post(`/api/v1/reports/${a.id}/merge`)).send({ intoId: closed.id, version: a.version }).expect(409);
      expect(intoClosed.body.code).toBe('MERGE_TARGET_CLOSED');
      const ofClosed = await staff.auth(t.http.post(`/api/v1/reports/${closed.id}/merge`)).send({ intoId: a.id, version: rejected.version }).expect(409);
      expect(ofClosed.body.code).toBe('ILLEGAL_TRANSITION');
      await staff.auth(t.http.post(`/api/v1/reports/${a.id}/merge`)).send({ intoId: 'x', version: a.version }).expect(400);
    });
  });

  describe("the reporter's answer", () => {
    const resolve = async (): Promise<Report> => {
      const report = await file();
      let r = await step(report.id, { status: 'acknowledged' }, report.version);
      r = await step(report.id, { status: 'in_progress' }, r.version);
      return step(report.id, { status: 'resolved' }, r.version);
    };

    it('reopens a resolved report within 30 days, only for its reporter', async () => {
      const report = await resolve();
      await neighbour.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({ reason: 'Still dark at night' }).expect(403);
      await staff.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({ reason: 'Still dark at night' }).expect(403);
      await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({}).expect(400);
      const res = await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({ reason: 'Still dark at night' }).expect(200);
      expect(res.body).toMatchObject({ status: 'in_progress', resolvedAt: null });
      expect((await timeline(report.id)).find((l) => l.type === 'reopened')).toMatchObject({ by: 'reporter', message: 'Still dark at night', fromStatus: 'resolved', toStatus: 'in_progress' });
      expect((await outbox('report.status_changed', report.id)).pop()!.payload).toMatchObject({ from: 'resolved', to: 'in_progress' });
      // Not resolved any more: nothing to reopen.
      const again = await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({ reason: 'Still dark at night' }).expect(409);
      expect(again.body.code).toBe('ILLEGAL_TRANSITION');
    });

    it('refuses to reopen after 30 days, allowing only to confirm', async () => {
      const report = await resolve();
      await db.query(`UPDATE reports SET resolved_at = now() - interval '31 days' WHERE id = $1`, [report.id]);
      // The specific reason is the English message; French gets the catalogue's general one.
      const res = await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).set('Accept-Language', 'en').send({ reason: 'Broken again' }).expect(409);
      expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', meta: { allowed: ['closed'] } });
      expect(res.body.message).toMatch(/30 days/);
    });

    it('confirms a fix with a rating, closing the report', async () => {
      const report = await resolve();
      await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/confirm`)).send({ rating: 6 }).expect(400);
      await neighbour.auth(t.http.post(`/api/v1/reports/${report.id}/confirm`)).send({ rating: 5 }).expect(403);
      const res = await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/confirm`)).send({ rating: 4, comment: 'Works again, thanks' }).expect(200);
      expect(res.body.status).toBe('closed');
      expect(res.body.closedAt).not.toBeNull();
      expect((await timeline(report.id)).find((l) => l.type === 'confirmed')).toMatchObject({ message: 'Works again, thanks', data: { rating: 4 } });
      const [{ rating }] = await db.query(`SELECT rating FROM reports WHERE id = $1`, [report.id]);
      expect(rating).toBe(4);
      await citizen.auth(t.http.post(`/api/v1/reports/${report.id}/confirm`)).send({ rating: 4 }).expect(409);
    });

    it('auto-closes problems resolved 30 days ago that nobody answered', async () => {
      const old = await resolve();
      const recent = await resolve();
      await db.query(`UPDATE reports SET resolved_at = now() - interval '30 days 1 hour' WHERE id = $1`, [old.id]);
      await t.app.get(ResolutionService).autoCloseResolved({ batchSize: 2 });
      const closed = await t.http.get(`/api/v1/reports/${old.id}`).expect(200);
      expect(closed.body.status).toBe('closed');
      expect((await timeline(old.id)).find((l) => l.type === 'auto_closed')).toMatchObject({ by: 'system', fromStatus: 'resolved', toStatus: 'closed' });
      expect((await outbox('report.status_changed', old.id)).pop()!.payload).toMatchObject({ from: 'resolved', to: 'closed' });
      const still = await t.http.get(`/api/v1/reports/${recent.id}`).expect(200);
      expect(still.body.status).toBe('resolved');
    });
  });

  describe('queue', () => {
    let q: TestMunicipality;
    let qStaff: Session;
    let qCategory: { code: string };
    let qOther: { code: string };
    const reports: Report[] = [];
    const list = (query: Record<string, string | number>) => qStaff.auth(t.http.get(`/api/v1/municipalities/${q.slug}/triage`).query(query));
    const ids = (res: { body: { items: Report[] } }) => res.body.items.map((r) => r.id);

    beforeAll(async () => {
      q = await createMunicipality(t.http, admin.accessToken, { name: 'Queueburg' });
      const qAdmin = await memberSession(t.http, admin.accessToken, q.slug, ['admin']);
      qStaff = await memberSession(t.http, admin.accessToken, q.slug, ['staff']);
      qCategory = await createCategory(t.http, qAdmin.accessToken, q.slug, { serviceLevels: { normal: { resolveWithin: { amount: 10, unit: 'days' } } } });
      qOther = await createCategory(t.http, qAdmin.accessToken, q.slug);
      for (let i = 0; i < 7; i++) {
        reports.push((await createReport(t.http, citizen.accessToken, q, i === 6 ? qOther.code : qCategory.code, { location: near(q), description: `Queue report ${i}` })) as Report);
      }
      // Filing times a minute apart, oldest first, so "age" has one answer.
      for (const [i, r] of reports.entries()) {
        await db.query(`UPDATE reports SET created_at = now() - ($2 || ' minutes')::interval WHERE id = $1`, [r.id, 100 - i]);
      }
      const v = (i: number) => reports[i].version;
      await triage(qStaff, reports[0].id, { priority: 'low' }, v(0)).expect(200);
      await triage(qStaff, reports[1].id, { priority: 'urgent', assigneeId: qStaff.user.id }, v(1)).expect(200);
      await triage(qStaff, reports[2].id, { priority: 'high', dueAt: new Date(Date.now() - 3600_000).toISOString() }, v(2)).expect(200);
      await triage(qStaff, reports[3].id, { priority: 'urgent', dueAt: new Date(Date.now() + 3600_000).toISOString() }, v(3)).expect(200);
      await triage(qStaff, reports[4].id, { status: 'rejected', reason: 'invalid' }, v(4)).expect(200);
      await triage(qStaff, reports[5].id, { status: 'acknowledged', assigneeId: qStaff.user.id }, v(5)).expect(200);
    });

    it('lists open reports oldest first by default, with staff views', async () => {
      const res = await list({}).expect(200);
      expect(ids(res)).toEqual([0, 1, 2, 3, 5, 6].map((i) => reports[i].id));
      expect(res.body.items[0]).toHaveProperty('staff.priority', 'low');
      expect(res.body.nextCursor).toBeNull();
    });

    it('sorts by priority (most urgent first, then oldest) and by nearest deadline', async () => {
      expect(ids(await list({ sort: 'priority' }).expect(200))).toEqual([1, 3, 2, 5, 6, 0].map((i) => reports[i].id));
      const due = ids(await list({ sort: 'due' }).expect(200));
      // Overdue override first, then the one due in an hour, then the 10-working-day deadlines by filing, then none.
      expect(due.slice(0, 2)).toEqual([reports[2].id, reports[3].id]);
      expect(due[due.length - 1]).toBe(reports[6].id);
      expect(due).toHaveLength(6);
    });

    it('filters by assignee, status, category, priority and overdue', async () => {
      expect(ids(await list({ assignee: 'me' }).expect(200))).toEqual([reports[1].id, reports[5].id]);
      expect(ids(await list({ assignee: qStaff.user.id }).expect(200))).toEqual([reports[1].id, reports[5].id]);
      expect(ids(await list({ assignee: 'none' }).expect(200))).toEqual([0, 2, 3, 6].map((i) => reports[i].id));
      expect(ids(await list({ status: 'rejected' }).expect(200))).toEqual([reports[4].id]);
      expect(ids(await list({ status: 'acknowledged,rejected' }).expect(200))).toEqual([reports[4].id, reports[5].id]);
      expect(ids(await list({ category: qOther.code }).expect(200))).toEqual([reports[6].id]);
      expect(ids(await list({ priority: 'urgent' }).expect(200))).toEqual([reports[1].id, reports[3].id]);
      const overdue = await list({ overdue: 'true' }).expect(200);
      expect(ids(overdue)).toEqual([reports[2].id]);
      expect(overdue.body.items[0].staff.overdue).toBe(true);
      expect(ids(await list({ overdue: 'false' }).expect(200))).toEqual([0, 1, 3, 5, 6].map((i) => reports[i].id));
    });

    it('pages with a keyset cursor per sort, without duplicates or gaps', async () => {
      for (const sort of ['age', 'priority', 'due']) {
        const all = ids(await list({ sort }).expect(200));
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { items: Report[]; nextCursor: string | null } } = await list({ sort, limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
          seen.push(...ids(res));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all);
      }
      const first = await list({ sort: 'age', limit: 2 }).expect(200);
      const wrongSort = await list({ sort: 'priority', cursor: first.body.nextCursor }).expect(400);
      expect(wrongSort.body.details[0].field).toBe('cursor');
      await list({ cursor: 'garbage' }).expect(400);
    });

    it('validates the query', async () => {
      const invalid: Array<Record<string, string | number>> = [{ sort: 'random' }, { assignee: 'someone' }, { overdue: 'yes' }, { status: 'open' }, { limit: 0 }, { priority: 'critical' }];
      for (const query of invalid) {
        await list(query).expect(400);
      }
    });
  });

  it('documents every triage route in the OpenAPI document, with its error responses', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const expected: Record<string, Record<string, string[]>> = {
      '/api/v1/reports/{id}/triage': { patch: ['200', '400', '403', '404', '409', '422'] },
      '/api/v1/municipalities/{slug}/triage': { get: ['200', '403'] },
      '/api/v1/municipalities/{slug}/triage/bulk': { post: ['200', '403', '422'] },
      '/api/v1/reports/{id}/updates': { post: ['201', '403', '404'] },
      '/api/v1/reports/{id}/merge': { post: ['200', '403', '409', '422'] },
      '/api/v1/reports/{id}/reopen': { post: ['200', '403', '409'] },
      '/api/v1/reports/{id}/confirm': { post: ['200', '403', '409'] },
      '/api/v1/municipalities/{slug}/triage-calendar': { get: ['200', '403'], put: ['200', '400', '403'] },
      '/api/v1/municipalities/{slug}/reports/stats': { get: ['200', '400', '403'] },
      '/api/v1/municipalities/{slug}/reports/export.csv': { get: ['200', '400', '403'] },
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const [method, codes] of Object.entries(methods)) {
        expect(paths[path]?.[method]).toBeDefined();
        expect(Object.keys(paths[path][method].responses)).toEqual(expect.arrayContaining(codes));
      }
    }
  });
});
