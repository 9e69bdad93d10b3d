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
});
