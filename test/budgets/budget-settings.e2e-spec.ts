import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { join } from 'node:path';
import { plainPhoto } from '../fixtures/images';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

/** A budget's settings after creation (PATCH by phase), and projects with a place and a district heading. */
jest.setTimeout(120_000);

const DAY = 86_400_000;

describe('budgets: changing settings, projects with a place', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let otherAdmin: Session;
  let citizen: Session;
  let resident: Session;
  let erased: Session;
  let north: string;
  let south: string;
  let east: string;
  let storageDir: string;

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
    (await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`)).send(budgetBody(overrides)).expect(201)).body as { id: string };

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'budget-photos-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { halfSize: 0.02 });
    const other = await createMunicipality(t.http, admin.accessToken);
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherAdmin = await memberSession(t.http, admin.accessToken, other.slug, ['admin']);
    [citizen, resident, erased] = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http)]);
    for (const r of [resident, erased]) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).send({}).expect(201);
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
    const [lng, lat] = town.center;
    const district = async (code: string, center: [number, number]) =>
      (await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`)).send({ code, nameFr: code, nameEn: code, boundary: squareAround(center, 0.004) }).expect(201)).body.id as string;
    north = await district('N', [lng, lat + 0.01]);
    south = await district('S', [lng, lat - 0.01]);
    east = await district('E', [lng + 0.01, lat]);
  });
  afterAll(async () => {
    await t?.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe('PATCH a budget', () => {
    it('is for the municipality admin: 401 anonymous or erased, 403 citizen, staff, another town’s admin', async () => {
      const { id } = await createBudget();
      const url = `/api/v1/budgets/${id}`;
      await t.http.patch(url).send({ amount: 5 }).expect(401);
      await erased.auth(t.http.patch(url)).send({ amount: 5 }).expect(401);
      for (const who of [citizen, resident, staff, otherAdmin]) {
        expect((await who.auth(t.http.patch(url)).send({ amount: 5 }).expect(403)).body.code).toBe('FORBIDDEN');
      }
      expect((await t.http.get(url).expect(200)).body.amount).toBe(100_000);
    });

    it('changes amounts, rules and texts before voting, checked like a creation', async () => {
      const { id } = await createBudget();
      const url = `/api/v1/budgets/${id}`;
      const res = await townAdmin
        .auth(t.http.patch(url))
        .send({ amount: 80_000, outcomeRule: 'equal-shares', title: { fr: 'Nouveau', en: 'New' }, districtAmounts: [{ districtId: north, amount: 10_000 }] })
        .expect(200);
      expect(res.body).toMatchObject({ amount: 80_000, outcomeRule: 'equal-shares', add1: 'until-exhaustive', title: { fr: 'Nouveau', en: 'New' }, districtAmounts: [{ districtId: north, amount: 10_000 }] });
      const bad = await townAdmin.auth(t.http.patch(url)).send({ ballotRule: { kind: 'cumulative', points: 5, maxPerProject: 2 }, votingEndsAt: new Date(Date.now()).toISOString() }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['outcomeRule', 'votingEndsAt']);
      const unknown = await townAdmin.auth(t.http.patch(url)).send({ phase: 'finished' }).expect(400);
      expect(unknown.body.details[0].field).toBe('phase');
      const foreign = await townAdmin.auth(t.http.patch(url)).send({ districtAmounts: [{ districtId: '00000000-0000-4000-8000-000000000000', amount: 1 }] }).expect(400);
      expect(foreign.body.details[0].field).toBe('districtAmounts');
      expect((await t.http.get(url).expect(200)).body.amount).toBe(80_000);
    });

    it('keeps the vote’s shape and past dates fixed once voting opens (409 naming the field), texts and the voting end still change', async () => {
      const { id } = await createBudget();
      const url = `/api/v1/budgets/${id}`;
      await townAdmin.auth(t.http.post(`${url}/advance`)).expect(200);
      await townAdmin.auth(t.http.post(`${url}/advance`)).expect(200);
      for (const change of [{ amount: 1 }, { ballotRule: { kind: 'approval', maxProjects: 3 } }, { outcomeRule: 'equal-shares' }, { reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString() }]) {
        const res = await townAdmin.auth(t.http.patch(url)).send(change).expect(409);
        expect(res.body).toMatchObject({ code: 'BUDGET_SETTING_FIXED', details: [{ field: Object.keys(change)[0], code: 'FIXED_IN_PHASE' }] });
      }
      const later = new Date(Date.now() + 5 * DAY).toISOString();
      const ok = await townAdmin.auth(t.http.patch(url)).send({ votingEndsAt: later, description: { fr: 'Votez', en: 'Vote' } }).expect(200);
      expect(ok.body).toMatchObject({ phase: 'voting', votingEndsAt: later, description: { fr: 'Votez', en: 'Vote' } });
      const fr = await townAdmin.auth(t.http.patch(url)).set('Accept-Language', 'fr').send({ amount: 1 }).expect(409);
      expect(fr.body.message).toBe('Ce réglage ne peut plus changer à cette phase du budget');
    });
  });

  describe('projects with a place', () => {
    let budgetId: string;
    beforeAll(async () => {
      budgetId = (await createBudget({ districtAmounts: [{ districtId: north, amount: 20_000 }, { districtId: south, amount: 20_000 }] })).id;
    });
    const propose = (body: Record<string, unknown>) => resident.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title: 'Projet', description: 'Ici', cost: 1_000, ...body });

    it('go under the heading of the district they are in, or town-wide when that district has none', async () => {
      const [lng, lat] = town.center;
      const inNorth = await propose({ location: { lat: lat + 0.01, lng } }).expect(201);
      expect(inNorth.body).toMatchObject({ districtId: north, location: { lat: lat + 0.01, lng } });
      const inEast = await propose({ location: { lat, lng: lng + 0.01 } }).expect(201);
      expect(inEast.body.districtId).toBeNull();
      const nowhere = await propose({}).expect(201);
      expect(nowhere.body).toMatchObject({ districtId: null, location: null });
    });

    it('refuses a place outside the town, a district that is not a heading, a place in another district', async () => {
      const [lng, lat] = town.center;
      const outside = await propose({ location: { lat: lat + 1, lng } }).expect(422);
      expect(outside.body).toMatchObject({ code: 'OUTSIDE_MUNICIPALITY' });
      const notHeading = await propose({ districtId: east }).expect(400);
      expect(notHeading.body.details).toEqual([expect.objectContaining({ field: 'districtId', code: 'NOT_A_HEADING' })]);
      const mismatch = await propose({ districtId: south, location: { lat: lat + 0.01, lng } }).expect(400);
      expect(mismatch.body.details).toEqual([expect.objectContaining({ field: 'districtId', code: 'LOCATION_IN_OTHER_DISTRICT' })]);
      const bad = await propose({ location: { lat: 'north', lng: 500 } }).expect(400);
      expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['location.lat', 'location.lng']);
    });

    it('are listed by heading and status, a page at a time', async () => {
      const [lng, lat] = town.center;
      await propose({ location: { lat: lat - 0.01, lng } }).expect(201);
      await propose({ districtId: south }).expect(201);
      const url = `/api/v1/budgets/${budgetId}/projects`;
      const southOnly = await t.http.get(url).query({ district: south }).expect(200);
      expect(southOnly.body.items).toHaveLength(2);
      expect(southOnly.body.items.every((p: { districtId: string }) => p.districtId === south)).toBe(true);
      const town_ = await t.http.get(url).query({ district: 'town' }).expect(200);
      expect(town_.body.items.length).toBeGreaterThanOrEqual(2);
      expect(town_.body.items.every((p: { districtId: string | null }) => p.districtId === null)).toBe(true);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http.get(url).query({ limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((p) => p.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = await t.http.get(url).query({ limit: 100 }).expect(200);
      expect(seen).toEqual(all.body.items.map((p: { id: string }) => p.id));
      expect(new Set(seen).size).toBe(seen.length);
      await t.http.get(url).query({ district: 'nowhere' }).expect(400);
      await t.http.get(url).query({ cursor: 'forged' }).expect(400);
    });
  });

  describe('comments, follows and photos', () => {
    it('take a project’s photos from its author and the town’s staff only, and comments on budgets and projects from anyone signed in', async () => {
      const { id } = await createBudget();
      const project = (await resident.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: 'Fresque', description: 'Un mur', cost: 3_000 }).expect(201)).body;
      const photo = await plainPhoto('jpeg');
      const upload = (s: Session | null) => {
        const req = t.http.post(`/api/v1/budget-projects/${project.id}/photos`);
        return (s ? s.auth(req) : req).attach('photo', photo, { filename: 'mur.jpg', contentType: 'image/jpeg' });
      };
      await upload(resident).expect(201);
      await upload(staff).expect(201);
      await upload(null).expect(401);
      expect((await upload(citizen).expect(403)).body.code).toBe('PHOTO_UPLOAD_FORBIDDEN');
      expect((await upload(otherAdmin).expect(403)).body.code).toBe('PHOTO_UPLOAD_FORBIDDEN');
      const rows = await t.app.get(DataSource).query(`SELECT uploader_id FROM attachments WHERE subject_type = 'budget_project' AND subject_id = $1 ORDER BY created_at`, [project.id]);
      expect(rows.map((r: { uploader_id: string }) => r.uploader_id)).toEqual([resident.user.id, staff.user.id]);

      await citizen.auth(t.http.post(`/api/v1/budgets/${id}/comments`)).send({ body: 'Bonne idée, ce budget' }).expect(201);
      await citizen.auth(t.http.post(`/api/v1/budget-projects/${project.id}/comments`)).send({ body: 'Oui à la fresque' }).expect(201);
      await t.http.post(`/api/v1/budget-projects/${project.id}/comments`).send({ body: 'anonyme' }).expect(401);
      const comments = await t.http.get(`/api/v1/budget-projects/${project.id}/comments`).expect(200);
      expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual(['Oui à la fresque']);
      await t.http.get('/api/v1/budget-projects/00000000-0000-4000-8000-000000000000/comments').expect(404);
      expect((await t.http.get('/api/v1/budgets/not-a-uuid/comments').expect(400)).body.details[0].field).toBe('id');
    });
  });

  describe('eligibility: district-only headings and a minimum age', () => {
    it('lets residents vote for town-wide projects and their own district’s, from the age set, as their residency records them', async () => {
      const year = new Date().getUTCFullYear();
      const { id } = await createBudget({
        districtAmounts: [{ districtId: north, amount: 20_000 }, { districtId: south, amount: 20_000 }],
        eligibility: { byDistrict: true, minimumAge: 16 },
      });
      expect((await t.http.get(`/api/v1/budgets/${id}`).expect(200)).body.eligibility).toEqual({ byDistrict: true, minimumAge: 16 });
      const [northern, unknownAge, child, coded] = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http), createSession(t.http)]);
      const verify = (s: Session, body: Record<string, unknown>) => staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${s.user.id}`)).send(body);
      expect((await verify(northern, { districtId: north }).expect(201)).body).toMatchObject({ districtId: north, birthYear: null });
      // Already resident: staff add the year of birth (200, recorded).
      expect((await verify(northern, { birthYear: 2000 }).expect(200)).body).toMatchObject({ districtId: north, birthYear: 2000 });
      await verify(unknownAge, {}).expect(201);
      await verify(child, { birthYear: year - 10, districtId: north }).expect(201);
      expect((await verify(child, { districtId: '00000000-0000-4000-8000-000000000000' }).expect(404)).body.code).toBe('DISTRICT_NOT_FOUND');
      expect((await verify(child, { birthYear: 1800 }).expect(400)).body.details[0].field).toBe('birthYear');
      // A letter mailed to the south district: whoever redeems it lives there.
      const codes = await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/residency-codes`)).send({ count: 1, districtId: south }).expect(201);
      const redeemed = await coded.auth(t.http.post(`/api/v1/municipalities/${town.slug}/residency`)).send({ code: codes.body.codes[0], birthYear: 1990 }).expect(201);
      expect(redeemed.body).toMatchObject({ districtId: south, birthYear: 1990, method: 'code' });

      const project = async (body: Record<string, unknown>) => (await resident.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: 'P', description: 'p', cost: 1_000, ...body }).expect(201)).body.id as string;
      const [northProject, southProject, townProject] = [await project({ districtId: north }), await project({ districtId: south }), await project({})];
      for (const p of [northProject, southProject, townProject]) await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${p}/review`)).send({ status: 'on_ballot' }).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const ballot = (s: Session, projects: string[]) => s.auth(t.http.put(`/api/v1/budgets/${id}/ballot`)).send({ projects });
      const submit = (s: Session) => s.auth(t.http.post(`/api/v1/budgets/${id}/ballot/submit`));

      expect((await ballot(unknownAge, [townProject]).expect(403)).body).toMatchObject({ code: 'BUDGET_NOT_ELIGIBLE', meta: { reason: 'birth_year_unknown', minimumAge: 16 } });
      expect((await ballot(child, [northProject]).expect(403)).body).toMatchObject({ code: 'BUDGET_NOT_ELIGIBLE', meta: { reason: 'too_young' } });
      expect((await ballot(citizen, [townProject]).expect(403)).body.meta.reason).toBe('not_resident');
      await ballot(northern, [southProject]).expect(204);
      expect((await submit(northern).expect(403)).body).toMatchObject({ code: 'BUDGET_NOT_ELIGIBLE', meta: { reason: 'other_district', districtId: south } });
      await ballot(northern, [northProject]).expect(204);
      await submit(northern).expect(201);
      await ballot(coded, [townProject]).expect(204);
      await submit(coded).expect(201);
      // Paper ballots follow the same rules for the resident they are entered for.
      const paper = await staff.auth(t.http.post(`/api/v1/budgets/${id}/paper-ballots`)).send({ residentId: child.user.id, projects: [northProject] }).expect(403);
      expect(paper.body.meta.reason).toBe('too_young');
      // Turnout by where the voters live (their residency's district): one north, one south.
      const turnout = (await t.http.get(`/api/v1/budgets/${id}/turnout`).expect(200)).body;
      expect(turnout).toMatchObject({ ballots: 2, online: 2, paper: 0 });
      expect(turnout.byDistrict).toEqual(expect.arrayContaining([{ districtId: north, ballots: 1 }, { districtId: south, ballots: 1 }]));
      expect(turnout.byDistrict).toHaveLength(2);
      // The vote's shape, eligibility included, is fixed now.
      expect((await townAdmin.auth(t.http.patch(`/api/v1/budgets/${id}`)).send({ eligibility: {} }).expect(409)).body.details[0].field).toBe('eligibility');
    });
  });

  describe('a district heading with its own ballot rule', () => {
    it('checks each ballot by its heading’s rule and tallies each heading with it', async () => {
      const bad = await townAdmin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
        .send(budgetBody({ districtAmounts: [{ districtId: north, amount: 20_000, ballotRule: { kind: 'cumulative', points: 5 } }] }))
        .expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['districtAmounts.0.ballotRule.maxPerProject']);
      const { id } = await createBudget({ ballotRule: { kind: 'approval', maxProjects: 1 }, districtAmounts: [{ districtId: north, amount: 20_000, ballotRule: { kind: 'knapsack' } }] });
      expect((await t.http.get(`/api/v1/budgets/${id}`).expect(200)).body.districtAmounts).toEqual([{ districtId: north, amount: 20_000, ballotRule: { kind: 'knapsack' } }]);
      const project = async (body: Record<string, unknown>, cost: number) =>
        (await resident.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: 'P', description: 'p', cost, ...body }).expect(201)).body.id as string;
      const [n1, n2, n3, t1, t2] = [await project({ districtId: north }, 8_000), await project({ districtId: north }, 9_000), await project({ districtId: north }, 5_000), await project({}, 1_000), await project({}, 2_000)];
      for (const p of [n1, n2, n3, t1, t2]) await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${p}/review`)).send({ status: 'on_ballot' }).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const voters = await Promise.all([createSession(t.http), createSession(t.http)]);
      for (const v of voters) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${v.user.id}`)).send({}).expect(201);
      const vote = async (s: Session, projects: string[], status: number) => {
        await s.auth(t.http.put(`/api/v1/budgets/${id}/ballot`)).send({ projects }).expect(204);
        return s.auth(t.http.post(`/api/v1/budgets/${id}/ballot/submit`)).expect(status);
      };
      // Town-wide: approval of at most one. North: a knapsack within 20,000.
      expect((await vote(voters[0], [t1, t2], 422)).body.code).toBe('BALLOT_TOO_MANY_PROJECTS');
      expect((await vote(voters[0], [n1, n2, n3], 422)).body.code).toBe('BALLOT_OVER_BUDGET');
      await vote(voters[0], [n1, n2], 201);
      await vote(voters[1], [t2], 201);
      await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
      const results = await t.http.get(`/api/v1/budgets/${id}/results`).expect(200);
      const northResult = results.body.result.headings.find((h: { districtId: string | null }) => h.districtId === north);
      expect(northResult).toMatchObject({ ballots: 1, amount: 20_000 });
      expect([...northResult.selected].sort()).toEqual([n1, n2].sort());
      const exported = await t.http.get(`/api/v1/budgets/${id}/export.pb`).query({ district: north }).expect(200);
      expect(exported.text).toMatch(/vote_type;approval/);
    });
  });
});
