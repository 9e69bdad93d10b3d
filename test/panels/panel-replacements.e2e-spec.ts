import { getQueueToken } from '@nestjs/bullmq';
import { PanelDeadlineJobData, QUEUES } from '@app/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { respondByJobId, termEndJobId } from '../../apps/worker/src/panels/panel-deadlines.consumer';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';

/**
 * The member life-cycle with the worker: invitations, a decline and a silence replaced by draws
 * that keep the quotas and the household rule, the term's end and the rotation. In a database and
 * queue prefix of its own, so no other suite's worker fires our deadlines. Time is moved by
 * promoting the delayed jobs (what their date arriving does).
 */
const DAY = 86_400_000;

jest.setTimeout(180_000);

interface Member {
  id: string;
  selectionId: string;
  status: string;
  features: Record<string, string>;
}

const PROFILES = [
  { gender: 'f', age: 'young' },
  { gender: 'f', age: 'old' },
  { gender: 'm', age: 'young' },
  { gender: 'm', age: 'old' },
];
const SEATED = ['selected', 'confirmed', 'active'];

describe('panel members: invitations, replacements, rotation (with the worker)', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<PanelDeadlineJobData>;
  let db: DataSource;
  let town: TestMunicipality;
  let admin: Session;
  let staff: Session;

  beforeAll(async () => {
    env = await isolatedEnv('panel_members');
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.panelDeadlines));
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  const members = async (panelId: string): Promise<Member[]> => (await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members?limit=100`)).expect(200)).body.items;
  const seated = async (panelId: string) => (await members(panelId)).filter((m) => SEATED.includes(m.status));

  /** Every quota of smallPanelBody() (2 f, 2 m, 1–3 young, 1–3 old) on these seats. */
  function quotaProblems(seats: Member[]): string[] {
    const count = (f: string, v: string) => seats.filter((m) => m.features[f] === v).length;
    const problems: string[] = [];
    if (seats.length !== 4) problems.push(`size ${seats.length}`);
    if (count('gender', 'f') !== 2) problems.push(`f ${count('gender', 'f')}`);
    if (count('gender', 'm') !== 2) problems.push(`m ${count('gender', 'm')}`);
    for (const age of ['young', 'old']) if (count('age', age) < 1 || count('age', age) > 3) problems.push(`${age} ${count('age', age)}`);
    return problems;
  }

  it('invites, replaces a decline and a silence keeping the quotas, starts the term, rotates half at its end', async () => {
    const panel = await createPanel(t.http, admin, town.slug, { ...smallPanelBody(), confirmationDays: 7, rotationShare: 0.5 } as ReturnType<typeof smallPanelBody>);
    const people = new Map<string, Session>();
    for (let i = 0; i < 4; i += 1) {
      for (const features of PROFILES) {
        const v = await volunteer(t.http, town.slug, admin, panel.id, features);
        people.set(v.profileId, v.session);
      }
    }
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: '4-4-2-6-1-3' }).expect(201);
    const first = await seated(panel.id);
    expect(quotaProblems(first)).toEqual([]);

    // Invited in the app, with the date to answer by; the deadline job waits 7 days.
    const [decliner, silent] = first;
    const inbox = await eventually(async () => {
      const res = await people.get(decliner.selectionId)!.auth(t.http.get('/api/v1/me/notifications')).expect(200);
      return res.body.items.find((n: { type: string }) => n.type === 'panels.member_invited');
    }, 'the invitation');
    expect(inbox.title).toMatch(/drawn|tiré/);
    const deadline = await eventually(() => queue.getJob(respondByJobId(silent.id)), 'the deadline job');
    expect(deadline.delay).toBeGreaterThan(7 * DAY - 120_000);

    // A decline: a replacement draw fills the seat at once, keeping every quota.
    await people.get(decliner.selectionId)!.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/decline`)).expect(200);
    const afterDecline = await eventually(async () => {
      const s = await seated(panel.id);
      return s.length === 4 && !s.some((m) => m.id === decliner.id) ? s : null;
    }, 'the replacement of the decline');
    expect(quotaProblems(afterDecline)).toEqual([]);

    // A silence: when the 7 days are over (the job promoted), the seat goes to another draw.
    await deadline.promote();
    const afterSilence = await eventually(async () => {
      const s = await seated(panel.id);
      return s.length === 4 && !s.some((m) => m.id === silent.id) ? s : null;
    }, 'the replacement of the silence');
    expect(quotaProblems(afterSilence)).toEqual([]);
    const all = await members(panel.id);
    expect(all.find((m) => m.id === decliner.id)!.status).toBe('declined');
    expect(all.find((m) => m.id === silent.id)!.status).toBe('expired');
    const history = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/members/${silent.id}/history`)).expect(200);
    expect(history.body.map((h: { to: string; reason: string; byPerson: boolean }) => [h.to, h.reason, h.byPerson])).toEqual([['selected', 'drawn', true], ['expired', 'no_answer', false]]);

    // The draws are on record with their kind and round, and each re-runs from its file.
    const draws = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/selections`)).expect(200);
    expect(draws.body.map((d: { kind: string; round: number }) => [d.kind, d.round])).toEqual([['initial', 0], ['replacement', 1], ['replacement', 2]]);
    const runFile = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/selections/${draws.body[1].id}/run`)).expect(200);
    expect(runFile.body.completes).toMatchObject({ kind: 'replacement', round: 1, committedPoolHash: drawn.body.poolHash });
    expect(runFile.body.seed).toBe('4-4-2-6-1-3#replacement-1');

    // Everyone seated confirms: the term starts; its end is a job 12 months away.
    for (const m of afterSilence) await people.get(m.selectionId)!.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/confirm`)).expect(200);
    const running = (await t.http.get(`/api/v1/panels/${panel.id}`).expect(200)).body;
    expect(running).toMatchObject({ termNumber: 1, rotationDue: false });
    expect((await seated(panel.id)).every((m) => m.status === 'active')).toBe(true);
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/rotations`)).send({ seed: 'too-early' }).expect(409);
    const termEnd = await eventually(() => queue.getJob(termEndJobId(panel.id, 1)), 'the term-end job');
    expect(termEnd.delay).toBeGreaterThan(360 * DAY);
    await termEnd.promote();
    await eventually(async () => (await t.http.get(`/api/v1/panels/${panel.id}`).expect(200)).body.rotationDue, 'the rotation to fall due');

    // The rotation: half the seats (the longest-serving) leave, a draw with the new seed fills them.
    const rotated = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/rotations`)).send({ seed: '1-1-5-3-2-6' }).expect(200);
    expect(rotated.body).toMatchObject({ drawn: 2, vacancies: 2 });
    const afterRotation = await seated(panel.id);
    expect(quotaProblems(afterRotation)).toEqual([]);
    expect(afterRotation.filter((m) => m.status === 'active')).toHaveLength(2);
    expect(afterRotation.filter((m) => m.status === 'selected')).toHaveLength(2);
    expect((await members(panel.id)).filter((m) => m.status === 'rotated_out')).toHaveLength(2);
    expect((await t.http.get(`/api/v1/panels/${panel.id}`).expect(200)).body).toMatchObject({ termNumber: 2, rotationDue: false });
    // A newcomer confirming joins the running term at once.
    const newcomer = afterRotation.find((m) => m.status === 'selected')!;
    const joined = await people.get(newcomer.selectionId)!.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/confirm`)).expect(200);
    expect(joined.body.status).toBe('active');

    const report = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/representativeness`)).expect(200);
    expect(report.body.quotas.every((q: { met: boolean }) => q.met)).toBe(true);
    expect(report.body.overall).toMatchObject({ invited: 8, declined: 1, noAnswer: 1, pending: 1 });
    const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 AND action LIKE 'panel.%' ORDER BY id`, [panel.id]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(
      expect.arrayContaining(['panel.drawn', 'panel.replacement_drawn', 'panel.term_started', 'panel.term_ended', 'panel.rotated']),
    );
  });

  it('keeps the household rule in a replacement: no one may take a seat beside a housemate, and the seat stays empty when nobody else fits', async () => {
    const body = smallPanelBody({ size: 2, features: [{ code: 'gender', values: [{ code: 'f', min: 1, max: 1 }, { code: 'm', min: 1, max: 1 }] }] });
    const panel = await createPanel(t.http, admin, town.slug, body);
    // A (f) and B (m) share an address; C (m) lives elsewhere: {A, C} is the only valid panel.
    const join = (gender: string, address: string) => volunteer(t.http, town.slug, admin, panel.id, { gender }, address);
    const a = await join('f', '3 Rue des Lilas');
    const b = await join('m', '3, rue des lilas');
    const c = await join('m', '9 avenue Foch');
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'x' }).expect(201);
    expect([...drawn.body.members].sort()).toEqual([a.profileId, c.profileId].sort());

    await c.session.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/decline`)).expect(200);
    await eventually(async () => (await db.query(`SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'panel.replacement_failed'`, [panel.id])).length > 0, 'the failed replacement');
    const seats = await seated(panel.id);
    expect(seats.map((m) => m.selectionId)).toEqual([a.profileId]);
    expect(seats.some((m) => m.selectionId === b.profileId)).toBe(false);
    const report = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/representativeness`)).expect(200);
    expect(report.body.quotas.find((q: { value: string }) => q.value === 'm')).toMatchObject({ seated: 0, min: 1, met: false });
    // The admin may start the term with the seats confirmed so far.
    await a.session.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/confirm`)).expect(200);
    await staff.auth(t.http.post(`/api/v1/panels/${panel.id}/term/start`)).expect(403);
    const started = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/term/start`)).expect(200);
    expect(started.body.termNumber).toBe(1);
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/term/start`)).expect(409);
  });

  it('withdrawing or erasing the account gives the seat up and a replacement is drawn', async () => {
    const panel = await createPanel(t.http, admin, town.slug, smallPanelBody());
    const people = new Map<string, Session>();
    for (let i = 0; i < 3; i += 1) for (const features of PROFILES) {
      const v = await volunteer(t.http, town.slug, admin, panel.id, features);
      people.set(v.profileId, v.session);
    }
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'w' }).expect(201);
    const [leaver, eraser] = await seated(panel.id);
    await people.get(leaver.selectionId)!.auth(t.http.delete(`/api/v1/panels/${panel.id}/volunteers/me`)).expect(204);
    const erasing = people.get(eraser.selectionId)!;
    const exported = await erasing.auth(t.http.get('/api/v1/me/export')).expect(200);
    expect(exported.body.sections.panels.panelSeats).toEqual([expect.objectContaining({ id: eraser.id, status: 'selected' })]);
    await erasing.auth(t.http.delete('/api/v1/me')).send({ password: erasing.user.password }).expect(204);
    const after = await eventually(async () => {
      const s = await seated(panel.id);
      return s.length === 4 && !s.some((m) => m.id === leaver.id || m.id === eraser.id) ? s : null;
    }, 'the replacements');
    expect(quotaProblems(after)).toEqual([]);
    const all = await members(panel.id);
    expect(all.find((m) => m.id === leaver.id)!.status).toBe('withdrawn');
    expect(all.find((m) => m.id === eraser.id)).toMatchObject({ status: 'withdrawn', hasAccount: false });
  });
});
