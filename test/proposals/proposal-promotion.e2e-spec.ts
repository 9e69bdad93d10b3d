import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { ProposalTown, proposalTown } from './proposal-fixtures';

jest.setTimeout(120_000);

describe('proposals: a suggestion report promoted by staff', () => {
  let t: TestApp;
  let p: ProposalTown;
  let reporter: Session;
  let citizen: Session;
  let categoryCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    p = await proposalTown(t.http);
    reporter = await createSession(t.http);
    citizen = await createSession(t.http);
    categoryCode = (await createCategory(t.http, p.admin.accessToken, p.town.slug)).code;
  });
  afterAll(() => t.close());

  it('becomes a published proposal linked both ways; its reporter is told on the report and may become its author', async () => {
    const suggestion = await createReport(t.http, reporter.accessToken, p.town, categoryCode, { kind: 'suggestion', description: 'Il faudrait une piste cyclable rue Nationale' });
    const problem = await createReport(t.http, reporter.accessToken, p.town, categoryCode, { kind: 'problem' });
    const body = { title: 'Une piste cyclable rue Nationale', topicId: p.topicId };
    const url = (id: string) => `/api/v1/reports/${id}/promote-to-proposal`;
    await citizen.auth(t.http.post(url(suggestion.id))).send(body).expect(403);
    expect((await p.staff.auth(t.http.post(url(problem.id))).send(body).expect(409)).body.code).toBe('PROPOSAL_REPORT_NOT_SUGGESTION');
    const promoted = await p.staff.auth(t.http.post(url(suggestion.id))).send(body).expect(201);
    expect(promoted.body).toMatchObject({ status: 'published', author: null, promotedFromReportId: suggestion.id, title: body.title, body: 'Il faudrait une piste cyclable rue Nationale' });
    const again = await p.staff.auth(t.http.post(url(suggestion.id))).send(body).expect(409);
    expect(again.body).toMatchObject({ code: 'PROPOSAL_ALREADY_PROMOTED', meta: { proposalId: promoted.body.id } });

    // The report says where it went, publicly (the reporter hears of a public update).
    const timeline = await t.http.get(`/api/v1/reports/${suggestion.id}/timeline`).expect(200);
    expect(JSON.stringify(timeline.body)).toContain(`/proposals/${promoted.body.id}`);

    await citizen.auth(t.http.post(`/api/v1/proposals/${promoted.body.id}/claim`)).expect(404);
    const claimed = await reporter.auth(t.http.post(`/api/v1/proposals/${promoted.body.id}/claim`)).expect(200);
    expect(claimed.body.author).toMatchObject({ id: reporter.user.id });
    await reporter.auth(t.http.post(`/api/v1/proposals/${promoted.body.id}/claim`)).expect(404);
    // Its author now: they cannot support it.
    expect((await reporter.auth(t.http.post(`/api/v1/proposals/${promoted.body.id}/support`)).expect((r) => expect([403, 409]).toContain(r.status))).body.code).toMatch(/PROPOSAL_(OWN_SUPPORT|RESIDENCY_REQUIRED)/);
  });
});
