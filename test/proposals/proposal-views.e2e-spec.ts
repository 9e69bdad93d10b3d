import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { draft, makeResident, ProposalTown, proposalTown, published } from './proposal-fixtures';

type View = Record<string, unknown> & { id: string };

/**
 * Pages of proposals (list in every sort, search, similar, map) are built by PostgreSQL
 * (views/proposal-view-sql.ts), a single proposal and the live payloads from the entity
 * (toProposalView): both must show each person the same view. Every page item is compared with
 * GET /proposals/:id as the same person sees it, over proposals that use every part of the view.
 */
describe('proposals: a page shows each proposal as its own page does', () => {
  let t: TestApp;
  let p: ProposalTown;
  let author: Session;
  let supporter: Session;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    p = await proposalTown(t.http, { supportThreshold: 1 });
    author = await createSession(t.http, { displayName: 'Aude Autrice' });
    supporter = await createSession(t.http, { displayName: 'Sami Soutien' });
    const [first, second, pending, erased] = await Promise.all([
      createSession(t.http, { displayName: 'Côme Coauteur' }),
      createSession(t.http, { displayName: 'Dana "Deux" <Coauthor>' }),
      createSession(t.http, { displayName: 'Paul Pending' }),
      createSession(t.http, { displayName: 'Soon Gone' }),
    ]);
    await makeResident(t.http, p, supporter);
    const [lng, lat] = p.town.center;

    // Located (its district derived), two co-authors in the order they accepted and one who has
    // not, supported (threshold reached), then answered: accepted, with cost and timeline.
    const answered = await draft(t.http, p, author, { title: 'Un composteur au square', body: 'Un *composteur* partagé, voir [le guide](https://example.org/guide).', location: { lat: lat + 0.005, lng: lng + 0.005 } });
    for (const who of [first, second, pending]) await author.auth(t.http.post(`/api/v1/proposals/${answered}/coauthors`)).send({ userId: who.user.id }).expect(204);
    for (const who of [second, first]) await who.auth(t.http.post(`/api/v1/proposals/${answered}/coauthors/accept`)).expect(204);
    await author.auth(t.http.post(`/api/v1/proposals/${answered}/publish`)).expect(200);
    await supporter.auth(t.http.post(`/api/v1/proposals/${answered}/support`)).expect(200);
    await p.staff.auth(t.http.put(`/api/v1/proposals/${answered}/answer`)).send({ status: 'accepted', body: 'Oui, **au printemps**.', estimatedCost: 4000, timeline: 'Printemps 2027' }).expect(200);
    await p.staff.auth(t.http.post(`/api/v1/proposals/${answered}/answer/publish`)).expect(200);
    // In English, in a district without a place, its answer drafted but not published.
    const drafted = await published(t.http, p, author, { title: 'Benches along the canal', body: 'We need **benches**:\n\n- shade\n- rest', language: 'en', districtId: p.districtId });
    await supporter.auth(t.http.post(`/api/v1/proposals/${drafted}/support`)).expect(200);
    await p.staff.auth(t.http.put(`/api/v1/proposals/${drafted}/answer`)).send({ status: 'rejected', body: 'Pas cette année.' }).expect(200);
    // Withdrawn after it was public, with its reason.
    const withdrawn = await published(t.http, p, author, { title: 'Une fontaine place Verte' });
    await author.auth(t.http.post(`/api/v1/proposals/${withdrawn}/withdraw`)).send({ reason: 'La mairie le fait déjà' }).expect(200);
    // Its author erased their account.
    const orphan = await published(t.http, p, erased, { title: 'Des arceaux vélo rue Neuve' });
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
    const plain = await published(t.http, p, author, { title: 'Des arceaux vélo devant la gare' });
    ids.push(answered, drafted, withdrawn, orphan, plain);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, who?: Session) => {
    const req = t.http.get(path);
    return (await (who ? who.auth(req) : req).expect(200)).body;
  };
  const own = async (id: string, who?: Session): Promise<View> => get(`/api/v1/proposals/${id}`, who);
  const expectSameAsOwnPage = async (items: View[], who?: Session) => {
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item).toEqual(await own(item.id, who));
  };

  it('lists them in every sort, and by status, as their own pages show them to each person', async () => {
    const slug = p.town.slug;
    for (const who of [undefined, supporter, author, p.staff]) {
      for (const sort of ['newest', 'most_supported', 'most_commented', 'random']) {
        const page = await get(`/api/v1/municipalities/${slug}/proposals?sort=${sort}&limit=100`, who);
        expect(page.items.map((i: View) => i.id).sort()).toEqual(ids.filter((id) => id !== ids[2]).sort());
        await expectSameAsOwnPage(page.items, who);
      }
      await expectSameAsOwnPage((await get(`/api/v1/municipalities/${slug}/proposals?status=withdrawn`, who)).items, who);
    }
    const mine = await get(`/api/v1/municipalities/${slug}/proposals?supportedByMe=true`, supporter);
    expect(mine.items.map((i: View) => i.supportedByMe)).toEqual([true, true]);
  });

  it('shows the parts of the view that pages and single proposals must agree on', async () => {
    const [answered, drafted, , orphan] = await Promise.all(ids.map((id) => own(id, supporter)));
    expect(answered).toMatchObject({
      status: 'accepted',
      coauthors: [{ displayName: 'Dana "Deux" <Coauthor>' }, { displayName: 'Côme Coauteur' }],
      districtId: p.districtId,
      supportedByMe: true,
      answer: { status: 'accepted', estimatedCost: 4000, timeline: 'Printemps 2027', publishedAt: expect.any(String) },
      thresholdReachedAt: expect.any(String),
      answerDueAt: expect.any(String),
    });
    expect(answered.location).toEqual({ lat: expect.any(Number), lng: expect.any(Number) });
    expect(drafted).toMatchObject({ language: 'en', answer: null, location: null, districtId: p.districtId });
    expect(orphan.author).toBeNull();
  });

  it('searches, suggests and maps them as their own pages show them', async () => {
    const slug = p.town.slug;
    for (const who of [undefined, supporter]) {
      await expectSameAsOwnPage((await get(`/api/v1/municipalities/${slug}/proposals?q=${encodeURIComponent('arceaux OR composteur OR benches')}`, who)).items, who);
      await expectSameAsOwnPage((await get(`/api/v1/municipalities/${slug}/proposals/similar?title=${encodeURIComponent('Des arceaux vélo')}`, who)).items, who);
      const map = await get(`/api/v1/municipalities/${slug}/proposals/geojson`, who);
      expect(map.features).toHaveLength(1);
      const { properties, geometry } = map.features[0];
      const { location, ...rest } = await own(properties.id, who);
      expect(properties).toEqual(rest);
      expect(geometry.coordinates).toEqual([(location as { lng: number }).lng, (location as { lat: number }).lat]);
    }
  });
});
