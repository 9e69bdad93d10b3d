import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

/**
 * Budgets' field errors in words (fr, en) with the field's path kept; the project list's order and
 * its keyset pages; a proposer changing or withdrawing a project before review.
 */
jest.setTimeout(120_000);

const DAY = 86_400_000;

describe('budgets: field messages, project order, editing and withdrawing a project', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let proposer: Session;
  let neighbour: Session;
  let north: string;
  let south: string;

  const budgetBody = (overrides: Record<string, unknown> = {}) => ({
    title: { fr: 'BP', en: 'PB' },
    description: { fr: 'd', en: 'd' },
    amount: 100_000,
    currency: 'EUR',
    ballotRule: { kind: 'approval', maxProjects: 2 },
    outcomeRule: 'greedy',
    proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
    reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
    votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
    ...overrides,
  });
  const createBudget = async (overrides: Record<string, unknown> = {}) =>
    (await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`)).send(budgetBody(overrides)).expect(201)).body.id as string;
  const propose = async (s: Session, budgetId: string, body: Record<string, unknown>) =>
    (await s.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ description: 'd', cost: 1_000, ...body }).expect(201)).body as { id: string; districtId: string | null };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { halfSize: 0.02 });
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    [proposer, neighbour] = await Promise.all([createSession(t.http), createSession(t.http)]);
    for (const r of [proposer, neighbour]) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).send({}).expect(201);
    const [lng, lat] = town.center;
    const district = async (code: string, center: [number, number]) =>
      (await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`)).send({ code, nameFr: code, nameEn: code, boundary: squareAround(center, 0.004) }).expect(201)).body.id as string;
    north = await district('N', [lng, lat + 0.01]);
    south = await district('S', [lng, lat - 0.01]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('field errors', () => {
    it('say what is wrong in words, in French or English, and keep the field’s path', async () => {
      const body = budgetBody({
        ballotRule: { kind: 'approval' },
        districtAmounts: [{ districtId: north, amount: 1_000, ballotRule: { kind: 'cumulative', points: 5 } }],
        reviewingEndsAt: new Date(Date.now() + 4 * DAY).toISOString(),
      });
      const url = `/api/v1/municipalities/${town.slug}/budgets`;
      const en = (await townAdmin.auth(t.http.post(url)).set('Accept-Language', 'en').send(body).expect(400)).body;
      expect(en.details).toEqual([
        { field: 'ballotRule.maxProjects', code: 'MAX_PROJECTS_REQUIRED', message: 'Approval ballots need the most projects a voter may choose' },
        { field: 'districtAmounts.0.ballotRule.maxPerProject', code: 'MAX_PER_PROJECT_REQUIRED', message: 'Cumulative ballots need the most points one project may receive' },
        { field: 'votingEndsAt', code: 'VOTING_ENDS_BEFORE_REVIEW', message: 'Voting cannot end before the review ends' },
      ]);
      const fr = (await townAdmin.auth(t.http.post(url)).set('Accept-Language', 'fr-BE').send(body).expect(400)).body;
      expect(fr.details.map((d: { field: string }) => d.field)).toEqual(en.details.map((d: { field: string }) => d.field));
      expect(fr.details.map((d: { message: string }) => d.message)).toEqual([
        'Un vote par approbation demande le nombre maximal de projets à choisir',
        'Un vote par points demande le maximum de points par projet',
        "Le vote ne peut pas finir avant la fin de l'examen",
      ]);
      // No message names a path: the path is in `field`.
      for (const d of [...en.details, ...fr.details]) expect(d.message).not.toMatch(/ballotRule|EndsAt|districtAmounts/);

      const mes = (await townAdmin.auth(t.http.post(url)).set('Accept-Language', 'fr').send(budgetBody({ ballotRule: { kind: 'ordinal', ranks: 2, scores: [3] }, outcomeRule: 'equal-shares' })).expect(400)).body;
      expect(mes.details).toEqual([
        { field: 'ballotRule.scores', code: 'ONE_SCORE_PER_RANK', message: 'Donnez un score par rang' },
        { field: 'outcomeRule', code: 'EQUAL_SHARES_NEEDS_APPROVAL', message: 'Les parts égales ne comptent que des votes par approbation ou par enveloppe' },
      ]);
      const fixed = await createBudget();
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${fixed}/advance`)).expect(200);
      const late = (await townAdmin.auth(t.http.patch(`/api/v1/budgets/${fixed}`)).set('Accept-Language', 'en').send({ proposingEndsAt: new Date(Date.now() + DAY / 2).toISOString() }).expect(409)).body;
      expect(late.details).toEqual([{ field: 'proposingEndsAt', code: 'FIXED_IN_PHASE', message: 'This can no longer change at this stage of the budget' }]);
    });
  });

  describe('GET …/projects', () => {
    it('lists the town-wide heading first, then each district’s, each by title (case aside), in keyset pages that neither skip nor repeat', async () => {
      const id = await createBudget({ districtAmounts: [{ districtId: north, amount: 10_000 }, { districtId: south, amount: 10_000 }] });
      const titles = ['kiosk', 'Bench', 'avenue trees', 'Bench', 'playground', 'Zebra crossing', 'library'];
      const headings = [null, north, null, south, north, null, south];
      for (const [i, title] of titles.entries()) await propose(i % 2 ? proposer : neighbour, id, { title, ...(headings[i] ? { districtId: headings[i] } : {}) });
      const all = (await t.http.get(`/api/v1/budgets/${id}/projects`).expect(200)).body.items as Array<{ id: string; title: string; districtId: string | null }>;
      const headingKey = (d: string | null) => d ?? '';
      const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      const expected = [...all].sort((a, b) => compare(headingKey(a.districtId), headingKey(b.districtId)) || compare(a.title.toLowerCase(), b.title.toLowerCase()) || compare(a.id, b.id));
      expect(all.map((p) => p.id)).toEqual(expected.map((p) => p.id));
      expect(all.slice(0, 3).map((p) => p.title)).toEqual(['avenue trees', 'kiosk', 'Zebra crossing']);

      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await t.http.get(`/api/v1/budgets/${id}/projects`).query({ limit: 2, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        paged.push(...page.items.map((p: { id: string }) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all.map((p) => p.id));
      expect((await t.http.get(`/api/v1/budgets/${id}/projects`).query({ cursor: 'not-a-cursor' }).expect(400)).body.details[0].field).toBe('cursor');
    });
  });

  describe('changing or withdrawing one’s project', () => {
    it('is for its proposer while proposals are open and before review; others get 403, a reviewed project 409', async () => {
      const id = await createBudget({ districtAmounts: [{ districtId: north, amount: 10_000 }] });
      const mine = await propose(proposer, id, { title: 'Bike racks' });
      const url = `/api/v1/budgets/${id}/projects/${mine.id}`;
      await t.http.patch(url).send({ title: 'x' }).expect(401);
      for (const other of [neighbour, staff]) {
        expect((await other.auth(t.http.patch(url)).send({ title: 'x' }).expect(403)).body.code).toBe('BUDGET_PROJECT_NOT_YOURS');
        expect((await other.auth(t.http.post(`${url}/withdraw`)).expect(403)).body.code).toBe('BUDGET_PROJECT_NOT_YOURS');
      }
      expect((await proposer.auth(t.http.patch(url)).send({ title: 'x', unknown: 1 }).expect(400)).body.details[0].field).toBe('unknown');

      // A place in the north district moves it to that heading; the text and cost change.
      const [lng, lat] = town.center;
      const changed = (await proposer.auth(t.http.patch(url)).send({ title: 'Covered bike racks', cost: 2_500, location: { lat: lat + 0.01, lng } }).expect(200)).body;
      expect(changed).toMatchObject({ title: 'Covered bike racks', cost: 2_500, districtId: north, location: { lat: lat + 0.01, lng }, status: 'proposed' });
      expect((await proposer.auth(t.http.patch(url)).set('Accept-Language', 'en').send({ districtId: south }).expect(400)).body.details[0]).toMatchObject({ field: 'districtId', code: 'NOT_A_HEADING', message: "Choose one of the budget's districts" });
      expect((await proposer.auth(t.http.get(`/api/v1/budgets/${id}/my-projects`)).expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
      expect((await neighbour.auth(t.http.get(`/api/v1/budgets/${id}/my-projects`)).expect(200)).body.items).toEqual([]);

      // Reviewed: it stays as staff judged it.
      const reviewed = await propose(proposer, id, { title: 'Fountain' });
      await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${reviewed.id}/review`)).send({ status: 'feasible' }).expect(200);
      const refused = (await proposer.auth(t.http.patch(`/api/v1/budgets/${id}/projects/${reviewed.id}`)).send({ title: 'y' }).expect(409)).body;
      expect(refused).toMatchObject({ code: 'BUDGET_PROJECT_REVIEWED', meta: { status: 'feasible' } });
      expect((await proposer.auth(t.http.post(`/api/v1/budgets/${id}/projects/${reviewed.id}/withdraw`)).expect(409)).body.code).toBe('BUDGET_PROJECT_REVIEWED');

      // Withdrawn: out of the public list (unless asked for), not reviewable, not changeable.
      const withdrawn = (await proposer.auth(t.http.post(`${url}/withdraw`)).expect(200)).body;
      expect(withdrawn.status).toBe('withdrawn');
      const listed = (await t.http.get(`/api/v1/budgets/${id}/projects`).expect(200)).body.items.map((p: { id: string }) => p.id);
      expect(listed).toEqual([reviewed.id]);
      expect((await t.http.get(`/api/v1/budgets/${id}/projects`).query({ status: 'withdrawn' }).expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
      expect((await staff.auth(t.http.post(`${url}/review`)).send({ status: 'on_ballot' }).expect(409)).body.code).toBe('BUDGET_PROJECT_REVIEWED');
      expect((await proposer.auth(t.http.post(`${url}/withdraw`)).expect(409)).body.meta.status).toBe('withdrawn');

      // Proposals closed: 409 naming the phase.
      const open = await propose(proposer, id, { title: 'Benches' });
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const late = (await proposer.auth(t.http.patch(`/api/v1/budgets/${id}/projects/${open.id}`)).send({ title: 'z' }).expect(409)).body;
      expect(late).toMatchObject({ code: 'WRONG_BUDGET_PHASE', meta: { needed: ['proposing'], current: 'reviewing' } });
      expect((await proposer.auth(t.http.post(`/api/v1/budgets/${id}/projects/${open.id}/withdraw`)).expect(409)).body.code).toBe('WRONG_BUDGET_PHASE');
    });
  });
});
