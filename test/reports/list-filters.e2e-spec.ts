import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

/**
 * The public list's `kind` and `status` filters, each checked both ways on non-empty sets: every
 * matching report is listed and no other is (a filter that returns nothing, or ignores its
 * parameter, fails). A neighbouring town holds reports of every kind too: none of them may show.
 */
describe('reports: the public list filtered by kind and status', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let staff: Session;
  const ids = { problemNew: '', problemAcknowledged: '', suggestionNew: '', complimentAcknowledged: '' };

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Filterville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    const reporter = await createSession(t.http);
    const file = (kind: 'problem' | 'suggestion' | 'compliment', i: number) =>
      createReport(t.http, reporter.accessToken, town, category, { kind, description: `A ${kind} about the square, number ${i}`, location: near(town, i * 0.001, i * 0.0007) });
    const acknowledge = async (report: { id: string; version: number }) => {
      await staff
        .auth(t.http.patch(`/api/v1/reports/${report.id}/triage`))
        .set('If-Match', `"${report.version}"`)
        .send({ status: 'acknowledged' })
        .expect(200);
      return report.id;
    };
    ids.problemNew = (await file('problem', 1)).id;
    ids.problemAcknowledged = await acknowledge(await file('problem', 2));
    ids.suggestionNew = (await file('suggestion', 3)).id;
    ids.complimentAcknowledged = await acknowledge(await file('compliment', 4));

    const neighbour = await createMunicipality(t.http, platform.accessToken, { name: 'Neighbourville' });
    const neighbourAdmin = await memberSession(t.http, platform.accessToken, neighbour.slug, ['admin']);
    const neighbourCategory = (await createCategory(t.http, neighbourAdmin.accessToken, neighbour.slug)).code;
    for (const kind of ['problem', 'suggestion', 'compliment'] as const) {
      await createReport(t.http, reporter.accessToken, neighbour, neighbourCategory, { kind, description: `A ${kind} in the next town over` });
    }
  });
  afterAll(() => t.close());

  async function listed(query: string, who?: Session): Promise<string[]> {
    const req = t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=100${query}`);
    const res = await (who ? who.auth(req) : req).expect(200);
    expect(res.body.nextCursor).toBeNull();
    return (res.body.items as Array<{ id: string }>).map((r) => r.id).sort();
  }

  const cases: Array<[string, Array<keyof typeof ids>]> = [
    ['', ['problemNew', 'problemAcknowledged', 'suggestionNew', 'complimentAcknowledged']],
    ['&kind=problem', ['problemNew', 'problemAcknowledged']],
    ['&kind=suggestion', ['suggestionNew']],
    ['&kind=compliment', ['complimentAcknowledged']],
    ['&status=new', ['problemNew', 'suggestionNew']],
    ['&status=acknowledged', ['problemAcknowledged', 'complimentAcknowledged']],
    ['&status=new,acknowledged', ['problemNew', 'problemAcknowledged', 'suggestionNew', 'complimentAcknowledged']],
    ['&status=acknowledged,in_progress', ['problemAcknowledged', 'complimentAcknowledged']],
    ['&status=in_progress', []],
    ['&kind=problem&status=acknowledged', ['problemAcknowledged']],
    ['&kind=compliment&status=new', []],
  ];

  it.each(cases)('lists exactly the matching reports for "%s", to anyone and to staff', async (query, expected) => {
    const want = expected.map((k) => ids[k]).sort();
    expect(await listed(query)).toEqual(want);
    expect(await listed(query, staff)).toEqual(want);
  });

  it('answers 400 naming the field for an unknown kind or status, rather than an empty list', async () => {
    const badKind = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?kind=complaint`).expect(400);
    expect(JSON.stringify(badKind.body)).toContain('kind');
    const badStatus = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?status=new,done`).expect(400);
    expect(JSON.stringify(badStatus.body)).toContain('status');
  });
});
