import { PanelMembersService } from '@app/panels';
import { DataSource } from 'typeorm';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

jest.setTimeout(120_000);

const PROFILES = [
  { gender: 'f', age: 'young' },
  { gender: 'f', age: 'old' },
  { gender: 'm', age: 'young' },
  { gender: 'm', age: 'old' },
];

/** After the draw: seats confirmed over HTTP, the term starting, and what surveys read of it. */
describe('panel members: confirmation, term, the service other libraries use', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let admin: Session;
  let staff: Session;
  let staffElsewhere: Session;
  let citizen: Session;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken);
    other = await createMunicipality(t.http, platform.accessToken);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    staffElsewhere = await memberSession(t.http, platform.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http);
  });
  afterAll(() => t.close());

  /** A panel of 4 (2 f, 2 m, 1–3 young, 1–3 old) with `perProfile` volunteers of each profile, drawn. */
  async function drawnPanel(perProfile: number, seed = 'dice-1') {
    const panel = await createPanel(t.http, admin, town.slug, smallPanelBody());
    const people: Array<{ session: Session; profileId: string; features: Record<string, string> }> = [];
    for (let i = 0; i < perProfile; i += 1) for (const features of PROFILES) people.push({ ...(await volunteer(t.http, town.slug, admin, panel.id, features)), features });
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed }).expect(201);
    const chosen = people.filter((p) => drawn.body.members.includes(p.profileId));
    return { panelId: panel.id, people, chosen, drawn: drawn.body };
  }

  it('seats the drawn as selected; confirming every seat starts the term and makes them active; each change is logged', async () => {
    const { panelId, chosen, people } = await drawnPanel(1);
    expect(chosen).toHaveLength(4);
    const list = await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members`)).expect(200);
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.every((m: { status: string; hasAccount: boolean }) => m.status === 'selected' && m.hasAccount)).toBe(true);

    for (const [i, person] of chosen.entries()) {
      const res = await person.session.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(200);
      expect(res.body.status).toBe(i < 3 ? 'confirmed' : 'active');
    }
    const mine = await chosen[0].session.auth(t.http.get(`/api/v1/panels/${panelId}/members/me`)).expect(200);
    expect(mine.body).toMatchObject({ status: 'active', selectionId: chosen[0].profileId, features: chosen[0].features });
    await chosen[0].session.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(409);

    const history = await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members/${mine.body.id}/history`)).expect(200);
    expect(history.body.map((h: { from: string | null; to: string; reason: string }) => [h.from, h.to, h.reason])).toEqual([
      [null, 'selected', 'drawn'],
      ['selected', 'confirmed', 'confirmed'],
      ['confirmed', 'active', 'term_started'],
    ]);
    const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [mine.body.id]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['panel.member_status_changed', 'panel.member_status_changed']);
    const panel = await t.http.get(`/api/v1/panels/${panelId}`).expect(200);
    expect(panel.body).toMatchObject({ termNumber: 1, rotationDue: false });

    // What libs/surveys reads: active members, paged; their feature values; the strata.
    const members = t.app.get(PanelMembersService);
    for (const p of chosen) expect(await members.isActiveMember(panelId, p.session.user.id)).toBe(true);
    expect(await members.isActiveMember(panelId, citizen.user.id)).toBe(false);
    expect(await members.isActiveMember('not-a-uuid', citizen.user.id)).toBe(false);
    const first = await members.activeMemberUserIds(panelId, { limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await members.activeMemberUserIds(panelId, { cursor: first.nextCursor, limit: 3 });
    expect(second).toEqual({ items: [expect.any(String)], nextCursor: null });
    expect(new Set([...first.items, ...second.items])).toEqual(new Set(chosen.map((p) => p.session.user.id)));
    const features = await members.memberFeatures(panelId, [...people.map((p) => p.session.user.id), 'junk']);
    expect(features.size).toBe(4);
    expect(features.get(chosen[1].session.user.id)).toEqual(chosen[1].features);
    const strata = await members.strata(panelId);
    expect(strata.features[0]).toMatchObject({ code: 'gender', values: [{ code: 'f', targetShare: 0.5 }, { code: 'm', targetShare: 0.5 }] });
  });

  it("GET /me/panels: my panels only — volunteered for, drawn for, with my seat's state; 401 anonymous", async () => {
    await t.http.get('/api/v1/me/panels').expect(401);
    expect((await citizen.auth(t.http.get('/api/v1/me/panels')).expect(200)).body).toEqual({ items: [] });
    const { panelId, people, chosen } = await drawnPanel(2, 'dice-mine');
    const notChosen = people.find((p) => !chosen.includes(p))!;
    // Someone else's panel, recruiting: only its own volunteer sees it.
    const elsewhere = await createPanel(t.http, admin, town.slug, smallPanelBody({ name: 'Autre panel' }));
    const stranger = await volunteer(t.http, town.slug, admin, elsewhere.id, PROFILES[0]);

    await chosen[0].session.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/decline`)).expect(200);
    const declined = await chosen[0].session.auth(t.http.get('/api/v1/me/panels')).expect(200);
    expect(declined.body).toEqual({
      items: [
        {
          panelId,
          municipalityId: town.id,
          name: 'Panel citoyen',
          panelStatus: 'drawn',
          volunteeredAt: expect.any(String),
          seat: { id: expect.any(String), status: 'declined', respondBy: expect.any(String), activatedAt: null, endedAt: expect.any(String) },
        },
      ],
    });
    const waiting = await notChosen.session.auth(t.http.get('/api/v1/me/panels')).expect(200);
    expect(waiting.body.items).toEqual([expect.objectContaining({ panelId, seat: null, volunteeredAt: expect.any(String) })]);
    const theirs = await stranger.session.auth(t.http.get('/api/v1/me/panels')).expect(200);
    expect(theirs.body.items.map((i: { panelId: string; seat: unknown }) => [i.panelId, i.seat])).toEqual([[elsewhere.id, null]]);
    // A withdrawn profile (before any draw) is gone from the list with the profile.
    await stranger.session.auth(t.http.delete(`/api/v1/panels/${elsewhere.id}/volunteers/me`)).expect(204);
    expect((await stranger.session.auth(t.http.get('/api/v1/me/panels')).expect(200)).body).toEqual({ items: [] });
    // A query naming another person changes nothing: the list is read by the caller's account only.
    const asked = await chosen[1].session.auth(t.http.get(`/api/v1/me/panels?userId=${chosen[0].session.user.id}`)).expect(200);
    expect(asked.body.items.map((i: { seat: { status: string } }) => i.seat.status)).toEqual(['selected']);
  });

  it('shows the roster to the town staff only: 401 anonymous, 403 citizen, member and staff of another town', async () => {
    const { panelId, chosen } = await drawnPanel(1, 'dice-2');
    await t.http.get(`/api/v1/panels/${panelId}/members`).expect(401);
    for (const caller of [citizen, staffElsewhere, chosen[0].session]) await caller.auth(t.http.get(`/api/v1/panels/${panelId}/members`)).expect(403);
    await citizen.auth(t.http.get(`/api/v1/panels/${panelId}/members/me`)).expect(404);
    await citizen.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(404);
    await staff.auth(t.http.get(`/api/v1/panels/${panelId}/invitation-letters`)).expect(403);
    await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members?status=bogus`)).expect(400);
    await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members?cursor=forged`)).expect(400);
    await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members/00000000-0000-4000-8000-000000000000/history`)).expect(404);
  });

  it("imported residents: the admin gets codes for printed letters (audited); a letter's holder signs up, redeems the code once, then answers", async () => {
    const panel = await createPanel(t.http, admin, town.slug, smallPanelBody({ householdRule: false }));
    const rows = ['external_id,gender,age', ...Array.from({ length: 8 }, (_, i) => `R${i},${i % 2 ? 'f' : 'm'},${i % 4 < 2 ? 'young' : 'old'}`)];
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/import`)).set('Content-Type', 'text/csv').send(rows.join('\n') + '\n').expect(200);
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'letters' }).expect(201);

    const letters = await admin.auth(t.http.get(`/api/v1/panels/${panel.id}/invitation-letters`)).expect(200);
    expect(letters.body).toHaveLength(4);
    for (const l of letters.body) expect(l).toMatchObject({ externalId: expect.stringMatching(/^R\d$/), code: expect.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/) });
    const audited = await db.query(`SELECT after FROM audit_log WHERE target_id = $1 AND action = 'panel.letters_exported'`, [panel.id]);
    expect(audited).toEqual([{ after: { letters: 4 } }]);
    // Nobody but the admin sees the codes, and the staff roster does not show them.
    for (const caller of [staff, citizen, staffElsewhere]) await caller.auth(t.http.get(`/api/v1/panels/${panel.id}/invitation-letters`)).expect(403);
    await t.http.get(`/api/v1/panels/${panel.id}/invitation-letters`).expect(401);
    const roster = await staff.auth(t.http.get(`/api/v1/panels/${panel.id}/members`)).expect(200);
    expect(JSON.stringify(roster.body)).not.toContain(letters.body[0].code.slice(0, 4) + letters.body[0].code.slice(5, 9));

    const holder = await createSession(t.http);
    const url = `/api/v1/panels/${panel.id}/invitations/redeem`;
    await t.http.post(url).send({ code: letters.body[0].code }).expect(401);
    for (const body of [{}, { code: '' }, { code: 'x'.repeat(41) }, { code: 42 }, { code: letters.body[0].code, extra: 1 }]) {
      const res = await holder.auth(t.http.post(url)).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: expect.any(String), details: expect.any(Array) });
    }
    const wrong = await holder.auth(t.http.post(url)).send({ code: 'AAAA-BBBB-CCCC' }).expect(422);
    expect(wrong.body).toMatchObject({ code: 'PANEL_INVITATION_CODE_INVALID', details: [expect.objectContaining({ field: 'code' })] });
    // Typed in lower case without dashes: the same code.
    const redeemed = await holder.auth(t.http.post(url)).send({ code: letters.body[0].code.replace(/-/g, '').toLowerCase() }).expect(200);
    expect(redeemed.body).toMatchObject({ status: 'selected', hasAccount: true, selectionId: letters.body[0].externalId });
    await holder.auth(t.http.post(url)).send({ code: letters.body[1].code }).expect(409);
    await citizen.auth(t.http.post(url)).send({ code: letters.body[0].code }).expect(422);
    // A code is for its own panel only.
    const otherPanel = await createPanel(t.http, admin, town.slug, smallPanelBody());
    await citizen.auth(t.http.post(`/api/v1/panels/${otherPanel.id}/invitations/redeem`)).send({ code: letters.body[1].code }).expect(422);

    const confirmed = await holder.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/confirm`)).expect(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect((await admin.auth(t.http.get(`/api/v1/panels/${panel.id}/invitation-letters`)).expect(200)).body).toHaveLength(3);
  });

  it('answers hostile ids and bodies on the member routes with 4xx JSON, never a 500', async () => {
    const { panelId, chosen } = await drawnPanel(1, 'dice-3');
    const me = chosen[0].session;
    const ids = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1", '%00', 'a'.repeat(500)];
    for (const id of ids) {
      for (const [method, path] of [['get', 'members/me'], ['post', 'members/me/confirm'], ['post', 'members/me/decline'], ['get', 'members'], ['get', 'representativeness'], ['post', 'term/start']] as const) {
        const res = await me.auth(t.http[method](`/api/v1/panels/${encodeURIComponent(id)}/${path}`)).send({});
        expect([400, 403, 404]).toContain(res.status);
        expect(res.body.code).toEqual(expect.any(String));
      }
      const res = await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members/${encodeURIComponent(id)}/history`));
      expect([400, 404]).toContain(res.status);
    }
    await me.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).send({ anything: true }).expect(200);
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/rotations`)).send({ seed: '' }).expect(400);
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/rotations`)).send({ seed: 's'.repeat(201) }).expect(400);
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/rotations`)).send({ seed: 'ok' }).expect(409);
    await staff.auth(t.http.post(`/api/v1/panels/${panelId}/rotations`)).send({ seed: 'ok' }).expect(403);
    for (const limit of ['0', '101', '-1', 'abc']) await staff.auth(t.http.get(`/api/v1/panels/${panelId}/members?limit=${limit}`)).expect(400);
    const report = await staff.auth(t.http.get(`/api/v1/panels/${panelId}/representativeness`)).expect(200);
    expect(report.body).toMatchObject({ size: 4, seated: 4, overall: { invited: 4, accepted: 1, pending: 3 } });
    for (const caller of [citizen, staffElsewhere, me]) await caller.auth(t.http.get(`/api/v1/panels/${panelId}/representativeness`)).expect(403);
    await t.http.get(`/api/v1/panels/${panelId}/representativeness`).expect(401);
  });
});
