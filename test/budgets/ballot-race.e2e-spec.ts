import { Agent } from 'node:http';
import { DataSource } from 'typeorm';
import { manyPeople } from '../factories/workshop.factory';
import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bearer, login, platformAdminSession, Session, TEST_PASSWORD } from '../utils/sessions';

/**
 * Exactly one counted ballot per resident under load: 1,000 residents submit at once, one in
 * five twice at the same instant, one in seven also from a second device (another session of the
 * same account). The accounts are made cheaply (manyPeople) and their residency written in one
 * statement: the race is the subject here, not sign-up.
 */
jest.setTimeout(300_000);

const DAY = 86_400_000;
const VOTERS = 1_000;

describe('budgets: 1,000 residents casting at once', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('counts exactly one ballot per resident, whatever the doubles and second devices', async () => {
    const admin = await platformAdminSession(t.http);
    const town = await createMunicipality(t.http, admin.accessToken);
    const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    const staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    const voters = await manyPeople(t.http, db, VOTERS, 'ballot-racer');
    await db.query(`INSERT INTO residencies (municipality_id, user_id, method) SELECT $1, unnest($2::uuid[]), 'staff'`, [town.id, voters.map((v) => v.user.id)]);
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'BP', en: 'PB' },
        description: { fr: 'd', en: 'd' },
        amount: 100_000,
        currency: 'EUR',
        ballotRule: { kind: 'approval', maxProjects: 2 },
        outcomeRule: 'equal-shares',
        proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
        reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
        votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
      })
      .expect(201);
    const id = created.body.id as string;
    const projects: string[] = [];
    for (const cost of [30_000, 50_000, 70_000]) {
      const p = await voters[0].auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: `P${cost}`, description: 'p', cost }).expect(201);
      await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${p.body.id}/review`)).send({ status: 'on_ballot' }).expect(200);
      projects.push(p.body.id);
    }
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    for (let i = 0; i < VOTERS; i += 100) {
      await Promise.all(voters.slice(i, i + 100).map((v, k) => v.auth(t.http.put(`/api/v1/budgets/${id}/ballot`)).send({ projects: [projects[(i + k) % 3]] }).expect(204)));
    }
    // Second devices: the same accounts signed in again, with tokens of their own.
    const secondDevices: Session[] = [];
    for (const v of voters.filter((_, i) => i % 7 === 0)) {
      const tokens = await login(t.http, v.user.email, TEST_PASSWORD);
      secondDevices.push({ ...v, ...tokens, auth: bearer(tokens.accessToken) });
    }
    // Each resident's doubles and second device right beside their first attempt, so they race it.
    const secondDeviceOf = new Map(secondDevices.map((d) => [d.user.id, d]));
    const attempts = voters.flatMap((v, i) => [v, ...(i % 5 === 0 ? [v] : []), ...(secondDeviceOf.has(v.user.id) ? [secondDeviceOf.get(v.user.id)!] : [])]);
    // All 1,343 are sent at once, through at most 200 connections at a time: opening them all at
    // once overflowed the API's listen backlog (511), and the kernel reset connections (ECONNRESET
    // in CI) — the test's transport, not the product (a proxy fronts it in production).
    const burst = new Agent({ keepAlive: false, maxSockets: 200 });
    const answers = await Promise.all(attempts.map((v) => v.auth(t.http.post(`/api/v1/budgets/${id}/ballot/submit`)).agent(burst)));
    burst.destroy();
    const byVoter = new Map<string, number[]>();
    answers.forEach((a, k) => byVoter.set(attempts[k].user.id, [...(byVoter.get(attempts[k].user.id) ?? []), a.status]));
    for (const v of voters) {
      const statuses = byVoter.get(v.user.id)!;
      expect({ voter: v.user.id, cast: statuses.filter((s) => s === 201).length }).toEqual({ voter: v.user.id, cast: 1 });
      expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    }
    const [{ n, s }] = await db.query(
      `SELECT (SELECT count(*)::int FROM budget_participations WHERE budget_id = $1) AS n, (SELECT count(*)::int FROM budget_sealed_ballots WHERE budget_id = $1) AS s`,
      [id],
    );
    expect({ n, s }).toEqual({ n: VOTERS, s: VOTERS });
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    const results = await t.http.get(`/api/v1/budgets/${id}/results`).expect(200);
    expect(results.body.result.ballots).toBe(VOTERS);
  });
});
