import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { draft, makeResident, proposalTown, ProposalTown, published } from '../proposals/proposal-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';

/** A citizen proposal that reached its threshold becomes a budget project, keeping the link. */
jest.setTimeout(120_000);

const DAY = 86_400_000;

describe('budgets: importing a proposal as a project', () => {
  let t: TestApp;
  let p: ProposalTown;
  let author: Session;
  let supporter: Session;
  let citizen: Session;
  let otherStaff: Session;
  let budgetId: string;
  let reached: string;

  beforeAll(async () => {
    t = await createTestApp();
    p = await proposalTown(t.http, { supportThreshold: 1 });
    [author, supporter, citizen] = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http)]);
    await makeResident(t.http, p, author);
    await makeResident(t.http, p, supporter);
    const other = await createMunicipality(t.http, p.platformAdmin.accessToken);
    otherStaff = await memberSession(t.http, p.platformAdmin.accessToken, other.slug, ['staff']);
    const [lng, lat] = p.town.center;
    reached = await published(t.http, p, author, { location: { lat: lat + 0.005, lng: lng + 0.005 } });
    await supporter.auth(t.http.post(`/api/v1/proposals/${reached}/support`)).expect(200);
    expect((await t.http.get(`/api/v1/proposals/${reached}`).expect(200)).body.status).toBe('threshold_reached');
    const budget = await p.admin
      .auth(t.http.post(`/api/v1/municipalities/${p.town.slug}/budgets`))
      .send({
        title: { fr: 'BP', en: 'PB' },
        description: { fr: 'd', en: 'd' },
        amount: 100_000,
        currency: 'EUR',
        districtAmounts: [{ districtId: p.districtId, amount: 30_000 }],
        ballotRule: { kind: 'approval', maxProjects: 2 },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
        reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
        votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
      })
      .expect(201);
    budgetId = budget.body.id;
  });
  afterAll(() => t.close());

  const importIt = (who: Session | null, proposalId: string, cost = 12_000) => {
    const req = t.http.post(`/api/v1/budgets/${budgetId}/projects/import`).send({ proposalId, cost });
    return who ? who.auth(req) : req;
  };

  it('is for the town’s staff: 401 anonymous, 403 citizen, author, another town’s staff', async () => {
    await importIt(null, reached).expect(401);
    for (const who of [citizen, author, otherStaff]) expect((await importIt(who, reached).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('keeps the author, text, place and district heading, and the link; once per budget', async () => {
    const res = await importIt(p.staff, reached).expect(201);
    expect(res.body).toMatchObject({ proposalId: reached, title: 'Des arceaux vélo devant la médiathèque', cost: 12_000, status: 'proposed', districtId: p.districtId });
    expect(res.body.location).not.toBeNull();
    const again = await importIt(p.staff, reached).expect(409);
    expect(again.body).toMatchObject({ code: 'PROPOSAL_ALREADY_IMPORTED', meta: { projectId: res.body.id } });
    const listed = await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200);
    expect(listed.body.items.filter((x: { proposalId: string | null }) => x.proposalId === reached)).toHaveLength(1);
    // The author hears of the review like any project's author.
    await p.staff.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects/${res.body.id}/review`)).send({ status: 'on_ballot' }).expect(200);
  });

  it('refuses a proposal that has not reached its threshold, a draft, an unknown one, bad input', async () => {
    const fresh = await published(t.http, p, author, { title: 'Un banc au parc' });
    const notYet = await importIt(p.staff, fresh).expect(409);
    expect(notYet.body).toMatchObject({ code: 'PROPOSAL_NOT_IMPORTABLE', details: [{ field: 'proposalId', code: 'NOT_IMPORTABLE' }] });
    const hidden = await draft(t.http, p, author, { title: 'Brouillon' });
    await importIt(p.staff, hidden).expect(404);
    await importIt(p.staff, '00000000-0000-4000-8000-000000000000').expect(404);
    const bad = await p.staff.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects/import`)).send({ proposalId: 'x', cost: -1, extra: true }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cost', 'extra', 'proposalId']);
  });
});
