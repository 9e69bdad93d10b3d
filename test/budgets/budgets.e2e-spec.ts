import { computeOutcome, electionOf, naturalCompare, parsePabulib, selectedInNaturalOrder } from '@app/budgets';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

// Signing up hashes passwords with argon2id: set-up takes a while on a shared machine.
jest.setTimeout(180_000);

const RESIDENTS = 24;
const DAY = 86_400_000;

describe('participatory budgets', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let otherAdmin: Session;
  let citizen: Session;
  let erased: Session;
  let residents: Session[];
  let paperVoter: Session;
  let budgetId: string;
  let projectIds: string[];
  const receipts = new Map<string, string>();
  let replacedReceipt: string;

  const budgetBody = (overrides: Record<string, unknown> = {}) => ({
    title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
    description: { fr: 'Vos projets', en: 'Your projects' },
    amount: 100_000,
    currency: 'EUR',
    ballotRule: { kind: 'approval', maxProjects: 2 },
    outcomeRule: 'equal-shares',
    proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
    reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
    votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken);
    const other = await createMunicipality(t.http, admin.accessToken);
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherAdmin = await memberSession(t.http, admin.accessToken, other.slug, ['admin']);
    citizen = await createSession(t.http);
    erased = await createSession(t.http);
    residents = [];
    for (let i = 0; i < RESIDENTS; i += 6) {
      residents.push(...(await Promise.all(Array.from({ length: 6 }, () => createSession(t.http)))));
    }
    paperVoter = await createSession(t.http);
    for (const r of [...residents, paperVoter, erased]) {
      await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).send({}).expect(201);
    }
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
  });
  afterAll(() => t.close());

  describe('creating a budget', () => {
    it('is for the municipality admin: 401 anonymous or erased, 403 citizen, staff, another town’s admin', async () => {
      const url = `/api/v1/municipalities/${town.slug}/budgets`;
      await t.http.post(url).send(budgetBody()).expect(401);
      await erased.auth(t.http.post(url)).send(budgetBody()).expect(401);
      for (const who of [citizen, staff, otherAdmin]) {
        const res = await who.auth(t.http.post(url)).send(budgetBody()).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });

    it('refuses settings that do not fit together, naming the fields', async () => {
      const url = `/api/v1/municipalities/${town.slug}/budgets`;
      const res = await townAdmin
        .auth(t.http.post(url))
        .send(budgetBody({ ballotRule: { kind: 'cumulative', points: 5 }, outcomeRule: 'equal-shares', votingEndsAt: new Date(0).toISOString() }))
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['ballotRule.maxPerProject', 'outcomeRule', 'votingEndsAt']);
      const bad = await townAdmin.auth(t.http.post(url)).send(budgetBody({ amount: -1, currency: 'EURO', ballotRule: { kind: 'lottery' } })).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(expect.arrayContaining(['amount', 'currency']));
    });

    it('creates it in the proposing phase, audited and emitted', async () => {
      const res = await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`)).send(budgetBody()).expect(201);
      expect(res.body).toMatchObject({ phase: 'proposing', amount: 100_000, outcomeRule: 'equal-shares', add1: 'until-exhaustive', municipalityId: town.id });
      budgetId = res.body.id;
      const events = await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1`, [budgetId]);
      expect(events).toEqual([{ type: 'budgets.created' }]);
      const list = await t.http.get(`/api/v1/municipalities/${town.slug}/budgets`).expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toContain(budgetId);
    });
  });

  describe('projects', () => {
    it('are proposed by verified residents only, in the proposing phase', async () => {
      const res = await citizen.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title: 'Bancs', description: 'Des bancs', cost: 10_000 }).expect(403);
      expect(res.body.code).toBe('BUDGET_NOT_ELIGIBLE');
      await t.http.post(`/api/v1/budgets/${budgetId}/projects`).send({ title: 'x', description: 'x', cost: 1 }).expect(401);
      const costs = [60_000, 30_000, 40_000, 20_000];
      projectIds = [];
      for (const [i, cost] of costs.entries()) {
        const p = await residents[i].auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title: `Projet ${i}`, description: 'Pour le quartier', cost }).expect(201);
        expect(p.body).toMatchObject({ status: 'proposed', cost });
        projectIds.push(p.body.id);
      }
      const bad = await residents[0].auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title: '', description: 'x', cost: 0 }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cost', 'title']);
    });

    it('are reviewed by staff: on the ballot, or unfeasible with a reason; others get 403', async () => {
      const url = (id: string) => `/api/v1/budgets/${budgetId}/projects/${id}/review`;
      for (const who of [citizen, otherAdmin, residents[0]]) await who.auth(t.http.post(url(projectIds[0]))).send({ status: 'on_ballot' }).expect(403);
      for (const id of projectIds.slice(0, 3)) await staff.auth(t.http.post(url(id))).send({ status: 'on_ballot' }).expect(200);
      const no = await staff.auth(t.http.post(url(projectIds[3]))).send({ status: 'unfeasible', reason: 'Private land' }).expect(200);
      expect(no.body).toMatchObject({ status: 'unfeasible', reviewReason: 'Private land' });
      const events = await db.query(`SELECT payload->>'status' AS status FROM outbox_events WHERE type = 'budgets.project_reviewed' AND payload->>'projectId' = $1`, [projectIds[3]]);
      expect(events).toEqual([{ status: 'unfeasible' }]);
      const onBallot = await t.http.get(`/api/v1/budgets/${budgetId}/projects?status=on_ballot`).expect(200);
      expect(onBallot.body.items).toHaveLength(3);
    });

    it('phases move only forward, by the admin here; ballots wait for voting', async () => {
      await residents[0].auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projectIds[0]] }).expect(409);
      await citizen.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(403);
      expect((await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200)).body.phase).toBe('reviewing');
      expect((await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200)).body.phase).toBe('voting');
      const moves = await db.query(`SELECT payload->>'to' AS "to" FROM outbox_events WHERE type = 'budgets.phase_changed' AND aggregate_id = $1 ORDER BY id`, [budgetId]);
      expect(moves).toEqual([{ to: 'reviewing' }, { to: 'voting' }]);
    });
  });

  describe('ballots', () => {
    it('are checked on submit: 422 naming the rule and its figures', async () => {
      const r = residents[0];
      const none = await r.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(409);
      expect(none.body.code).toBe('BUDGET_NO_DRAFT');
      await r.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: projectIds.slice(0, 3) }).expect(204);
      const tooMany = await r.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(422);
      expect(tooMany.body).toMatchObject({ code: 'BALLOT_TOO_MANY_PROJECTS', meta: expect.objectContaining({ rule: 'approval', chosen: 3, max: 2 }) });
      await r.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projectIds[3]] }).expect(204);
      const off = await r.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(422);
      expect(off.body.code).toBe('BALLOT_PROJECT_NOT_ON_BALLOT');
      await r.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: ['not-a-uuid'] }).expect(400);
      const outsider = await citizen.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projectIds[0]] }).expect(403);
      expect(outsider.body.code).toBe('BUDGET_NOT_ELIGIBLE');
      await erased.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projectIds[0]] }).expect(401);
    });

    it('count exactly once per resident under concurrent submits, some twice at the same instant', async () => {
      // Two thirds back the 60,000 project with one other; the rest back the 30,000 and 40,000 ones.
      const choiceOf = (i: number) => (i % 3 === 0 ? [projectIds[1], projectIds[2]] : [projectIds[0], projectIds[1 + (i % 2)]]);
      await Promise.all(residents.map((r, i) => r.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: choiceOf(i) }).expect(204)));
      const draft = await residents[1].auth(t.http.get(`/api/v1/budgets/${budgetId}/ballot`)).expect(200);
      expect(draft.body.draft).toEqual({ projects: choiceOf(1) });
      const attempts = residents.flatMap((r, i) => (i % 2 === 0 ? [r, r] : [r]));
      const answers = await Promise.all(attempts.map((r) => r.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`))));
      for (const r of residents) {
        const mine = answers.filter((_, k) => attempts[k] === r);
        const ok = mine.filter((a) => a.status === 201);
        expect(ok).toHaveLength(1);
        for (const a of mine.filter((x) => x.status !== 201)) expect([a.status, a.body.code]).toEqual([409, 'BUDGET_ALREADY_VOTED']);
        receipts.set(r.user.id, ok[0].body.receipt);
        expect(ok[0].body.receiptHash).toBe(createHash('sha256').update(ok[0].body.receipt).digest('hex'));
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM budget_participations WHERE budget_id = $1`, [budgetId]);
      expect(n).toBe(RESIDENTS);
      const [{ s }] = await db.query(`SELECT count(*)::int AS s FROM budget_sealed_ballots WHERE budget_id = $1`, [budgetId]);
      expect(s).toBe(RESIDENTS);
      expect((await t.http.get(`/api/v1/budgets/${budgetId}/turnout`).expect(200)).body).toEqual({ ballots: RESIDENTS, online: RESIDENTS, paper: 0, byDistrict: [{ districtId: null, ballots: RESIDENTS }] });
      const again = await residents[1].auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(409);
      expect(again.body.code).toBe('BUDGET_ALREADY_VOTED');
    });

    it('on paper are entered by staff for a resident who has not voted online, who then cannot', async () => {
      const url = `/api/v1/budgets/${budgetId}/paper-ballots`;
      const body = { residentId: paperVoter.user.id, projects: [projectIds[0]] };
      for (const who of [citizen, otherAdmin, paperVoter]) await who.auth(t.http.post(url)).send(body).expect(403);
      await t.http.post(url).send(body).expect(401);
      const notResident = await staff.auth(t.http.post(url)).send({ ...body, residentId: citizen.user.id }).expect(403);
      expect(notResident.body.code).toBe('BUDGET_NOT_ELIGIBLE');
      const votedOnline = await staff.auth(t.http.post(url)).send({ ...body, residentId: residents[0].user.id }).expect(409);
      expect(votedOnline.body.code).toBe('BUDGET_ALREADY_VOTED');
      const broken = await staff.auth(t.http.post(url)).send({ ...body, projects: projectIds.slice(0, 3) }).expect(422);
      expect(broken.body.code).toBe('BALLOT_TOO_MANY_PROJECTS');
      const ok = await staff.auth(t.http.post(url)).send(body).expect(201);
      receipts.set(paperVoter.user.id, ok.body.receipt);
      await staff.auth(t.http.post(url)).send(body).expect(409);
      await paperVoter.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projectIds[1]] }).expect(204);
      const online = await paperVoter.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(409);
      expect(online.body.code).toBe('BUDGET_ALREADY_VOTED');
      const [{ channel }] = await db.query(`SELECT channel FROM budget_participations WHERE budget_id = $1 AND user_id = $2`, [budgetId, paperVoter.user.id]);
      expect(channel).toBe('paper');
      expect((await t.http.get(`/api/v1/budgets/${budgetId}/turnout`).expect(200)).body).toEqual({ ballots: RESIDENTS + 1, online: RESIDENTS, paper: 1, byDistrict: [{ districtId: null, ballots: RESIDENTS + 1 }] });
    });

    it('can be replaced with the receipt until voting closes; the old receipt then stops counting', async () => {
      const r = residents[3];
      const old = receipts.get(r.user.id)!;
      const url = `/api/v1/budgets/${budgetId}/ballot/replace`;
      const wrong = await r.auth(t.http.post(url)).send({ receipt: 'not-my-receipt', projects: [projectIds[0]] }).expect(404);
      expect(wrong.body.code).toBe('BUDGET_RECEIPT_NOT_FOUND');
      const broken = await r.auth(t.http.post(url)).send({ receipt: old, projects: projectIds.slice(0, 3) }).expect(422);
      expect(broken.body.code).toBe('BALLOT_TOO_MANY_PROJECTS');
      // Someone who has not voted cannot use a receipt they found.
      await citizen.auth(t.http.post(url)).send({ receipt: old, projects: [projectIds[0]] }).expect(403);
      const res = await r.auth(t.http.post(url)).send({ receipt: old, projects: [projectIds[0]] }).expect(200);
      expect(res.body.receipt).not.toBe(old);
      receipts.set(r.user.id, res.body.receipt);
      replacedReceipt = old;
      await r.auth(t.http.post(url)).send({ receipt: old, projects: [projectIds[1]] }).expect(404);
      const [{ s }] = await db.query(`SELECT count(*)::int AS s FROM budget_sealed_ballots WHERE budget_id = $1`, [budgetId]);
      expect(s).toBe(RESIDENTS + 1);
    });

    it('are sealed while voting is open: the database shows who voted, never what', async () => {
      const rows: Array<{ sealed: string }> = await db.query(`SELECT sealed FROM budget_sealed_ballots WHERE budget_id = $1`, [budgetId]);
      for (const row of rows) for (const id of projectIds) expect(row.sealed).not.toContain(id);
      expect(new Set(rows.map((r) => r.sealed)).size).toBe(rows.length);
      const drafts = await db.query(`SELECT count(*)::int AS n FROM budget_ballot_drafts WHERE budget_id = $1`, [budgetId]);
      // The paper voter's online draft is left, sealed; casts delete the caller's draft.
      expect(drafts).toEqual([{ n: 1 }]);
    });

    it('publish no results, receipts or ballots before voting closes', async () => {
      for (const path of ['results', 'receipts', 'export.pb']) {
        const res = await t.http.get(`/api/v1/budgets/${budgetId}/${path}`).expect(409);
        expect(res.body.code).toBe('BUDGET_RESULTS_NOT_READY');
      }
    });
  });

  describe('closing', () => {
    let participations: Array<{ xmin: string; ctid: string; [k: string]: unknown }>;

    beforeAll(async () => {
      participations = await db.query(`SELECT xmin::text AS xmin, ctid::text AS ctid, * FROM budget_participations WHERE budget_id = $1`, [budgetId]);
      const closed = await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
      expect(closed.body.phase).toBe('finished');
    });

    it('stores the outcome once, immutable, and marks the selected projects', async () => {
      const res = await t.http.get(`/api/v1/budgets/${budgetId}/results`).expect(200);
      expect(res.body).toMatchObject({ inputsHash: expect.stringMatching(/^[0-9a-f]{64}$/), result: expect.objectContaining({ rule: 'equal-shares', add1: 'until-exhaustive', ballots: RESIDENTS + 1 }) });
      const result = res.body.result;
      expect(result.tieBreaking).toEqual(['lower cost', 'more votes', 'project id in natural order']);
      expect(result.headings).toHaveLength(1);
      expect(result.headings[0]).toMatchObject({ districtId: null, amount: 100_000, ballots: RESIDENTS + 1 });
      expect(Number(result.headings[0].cost)).toBeLessThanOrEqual(100_000);
      const projects = await t.http.get(`/api/v1/budgets/${budgetId}/projects?status=on_ballot`).expect(200);
      expect(projects.body.items.filter((p: { selected: boolean }) => p.selected).map((p: { id: string }) => p.id).sort()).toEqual([...result.selected].sort());
      await expect(db.query(`UPDATE budget_results SET inputs_hash = 'x' WHERE budget_id = $1`, [budgetId])).rejects.toThrow(/immutable/);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(409);
    });

    it('publishes every receipt hash, so each voter finds theirs', async () => {
      const res = await t.http.get(`/api/v1/budgets/${budgetId}/receipts`).expect(200);
      expect(res.body.receiptHashes).toHaveLength(RESIDENTS + 1);
      for (const receipt of receipts.values()) expect(res.body.receiptHashes).toContain(createHash('sha256').update(receipt).digest('hex'));
      expect(res.body.receiptHashes).not.toContain(createHash('sha256').update(replacedReceipt).digest('hex'));
    });

    it('exports Pabulib with anonymous ballots that our parser reads back to the same outcome', async () => {
      const res = await t.http.get(`/api/v1/budgets/${budgetId}/export.pb`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const file = parsePabulib(res.text);
      const election = electionOf(file);
      expect(election.ballots).toHaveLength(RESIDENTS + 1);
      expect(file.voteColumns).toEqual(['voter_id', 'vote']);
      const results = (await t.http.get(`/api/v1/budgets/${budgetId}/results`).expect(200)).body.result;
      const again = computeOutcome(election, { rule: 'equal-shares', add1: 'until-exhaustive' });
      expect(selectedInNaturalOrder(again)).toEqual([...results.selected].sort(naturalCompare));
      expect(again.mesRuns).toBe(results.headings[0].mesRuns);
    });

    it('leaves nothing that pairs a participation with a ballot, system columns included', async () => {
      const ballots: Array<{ xmin: string; ctid: string; [k: string]: unknown }> = await db.query(
        `SELECT xmin::text AS xmin, ctid::text AS ctid, * FROM budget_ballots WHERE budget_id = $1`,
        [budgetId],
      );
      expect(ballots).toHaveLength(RESIDENTS + 1);
      // No user, no time, no sequence: the ballot's own columns.
      expect(Object.keys(ballots[0]).sort()).toEqual(['budget_id', 'choice', 'ctid', 'id', 'receipt_hash', 'xmin']);
      expect(Object.keys(participations[0]).sort()).toEqual(['budget_id', 'channel', 'ctid', 'user_id', 'xmin']);
      // Every ballot was written by one transaction, which wrote no participation.
      expect(new Set(ballots.map((b) => b.xmin)).size).toBe(1);
      const participationXmins = new Set(participations.map((p) => p.xmin));
      expect(participationXmins.has(ballots[0].xmin)).toBe(false);
      // Ids are random (v4), not ordered.
      for (const b of ballots) expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The sealed holding area and the drafts are empty.
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM budget_sealed_ballots WHERE budget_id = $1`, [budgetId]);
      expect(n).toBe(0);
      const [{ d }] = await db.query(`SELECT count(*)::int AS d FROM budget_ballot_drafts WHERE budget_id = $1`, [budgetId]);
      expect(d).toBe(0);
      // Physical order does not follow the order of submission: with 24 ballots written shuffled,
      // the chance that they land in submission order is 1 / 25!.
      const byCtid = [...ballots].sort((a, b) => (a.ctid < b.ctid ? -1 : 1)).map((b) => b.receipt_hash);
      const submissionOrder = [...participations].sort((a, b) => Number(a.xmin) - Number(b.xmin)).map((p) => createHash('sha256').update(receipts.get(p.user_id as string)!).digest('hex'));
      expect(byCtid).not.toEqual(submissionOrder);
    });
  });

  describe('district headings', () => {
    it('tallies each district with its own amount; a ballot keeps to one heading', async () => {
      const district = await townAdmin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`))
        .send({ code: 'CENTRE', nameFr: 'Centre', nameEn: 'Centre', boundary: squareAround(town.center, 0.002) })
        .expect(201);
      const districtId = district.body.id as string;
      const bad = await townAdmin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
        .send(budgetBody({ districtAmounts: [{ districtId: '00000000-0000-4000-8000-000000000000', amount: 5 }] }))
        .expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['districtAmounts']);
      const created = await townAdmin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
        .send(budgetBody({ amount: 60_000, outcomeRule: 'greedy', districtAmounts: [{ districtId, amount: 20_000 }] }))
        .expect(201);
      const id = created.body.id as string;
      expect(created.body.districtAmounts).toEqual([{ districtId, amount: 20_000 }]);
      const propose = (by: Session, body: Record<string, unknown>) => by.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ description: 'd', ...body });
      const wrong = await propose(residents[0], { title: 'X', cost: 1, districtId: '00000000-0000-4000-8000-000000000000' }).expect(400);
      expect(wrong.body.details.map((d: { field: string }) => d.field)).toEqual(['districtId']);
      const townWide = (await propose(residents[0], { title: 'Piscine', cost: 50_000 }).expect(201)).body.id as string;
      const d1 = (await propose(residents[1], { title: 'Square', cost: 15_000, districtId }).expect(201)).body.id as string;
      const d2 = (await propose(residents[2], { title: 'Bancs', cost: 10_000, districtId }).expect(201)).body.id as string;
      for (const p of [townWide, d1, d2]) await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${p}/review`)).send({ status: 'on_ballot' }).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const vote = async (by: Session, projects: string[], status = 201) => {
        await by.auth(t.http.put(`/api/v1/budgets/${id}/ballot`)).send({ projects }).expect(204);
        return by.auth(t.http.post(`/api/v1/budgets/${id}/ballot/submit`)).expect(status);
      };
      const mixed = await vote(residents[0], [townWide, d1], 422);
      expect(mixed.body).toMatchObject({ code: 'BALLOT_WRONG_DISTRICT', meta: expect.objectContaining({ rule: 'approval', districts: 2 }) });
      await vote(residents[0], [d1, d2]);
      await vote(residents[1], [townWide]);
      await vote(residents[2], [d2]);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const { result } = (await t.http.get(`/api/v1/budgets/${id}/results`).expect(200)).body;
      // District: d2 has 2 votes, d1 1; 10,000 + 15,000 > 20,000, so only d2.
      expect(result.headings.map((h: { districtId: string | null; ballots: number; selected: string[] }) => [h.districtId, h.ballots, h.selected])).toEqual([
        [null, 1, [townWide]],
        [districtId, 2, [d2]],
      ]);
      const districtFile = parsePabulib((await t.http.get(`/api/v1/budgets/${id}/export.pb?district=${districtId}`).expect(200)).text);
      expect(electionOf(districtFile)).toMatchObject({ budget: 20_000n, ballots: expect.arrayContaining([{ projects: [d2] }]) });
      expect(electionOf(districtFile).ballots).toHaveLength(2);
      expect(electionOf(parsePabulib((await t.http.get(`/api/v1/budgets/${id}/export.pb`).expect(200)).text)).ballots).toEqual([{ projects: [townWide] }]);
      await t.http.get(`/api/v1/budgets/${id}/export.pb?district=${residents[0].user.id}`).expect(404);
    });
  });
});
