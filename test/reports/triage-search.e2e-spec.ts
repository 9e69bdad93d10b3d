import { DataSource } from 'typeorm';
import { createMunicipality, grantRoles, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session, sessionFor } from '../utils/sessions';

jest.setTimeout(90_000);

type Page = { items: Array<{ id: string; description: string; staff: { department: string | null } }>; nextCursor: string | null };

/** The big queue: text search (fr/en, accents ignored) and departments, with the other filters and keyset pages. */
describe('Triage queue: search and departments', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let roadsAgent: Session;
  let generalist: Session;
  let staffOfOther: Session;
  let citizen: Session;
  const ids: Record<string, string> = {};

  const queue = (who: Session, params: string, slug = town.slug) => who.auth(t.http.get(`/api/v1/municipalities/${slug}/triage?${params}`));
  const found = async (who: Session, params: string) => ((await queue(who, params).expect(200)).body as Page).items.map((r) => r.id);

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Queue-ville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Other-ville' });
    citizen = await createSession(t.http);
    roadsAgent = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    await grantRoles(t.http, admin.accessToken, town.slug, roadsAgent.user.id, ['staff'], 'Voirie');
    roadsAgent = await sessionFor(t.http, roadsAgent.user);
    generalist = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    staffOfOther = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    const roads = (await createCategory(t.http, admin.accessToken, town.slug, { department: 'Voirie' })).code;
    const lights = (await createCategory(t.http, admin.accessToken, town.slug, { department: 'Éclairage' })).code;
    const foreign = (await createCategory(t.http, admin.accessToken, other.slug)).code;
    const file = async (key: string, code: string, description: string, address?: string) => {
      ids[key] = (await createReport(t.http, citizen.accessToken, town, code, { description, address, location: near(town, 0.0001 * Object.keys(ids).length) })).id;
    };
    await file('lamp', lights, "L'éclairage public est en panne depuis lundi", 'Rue Nationale');
    await file('lamps', lights, 'Les lampadaires clignotent la nuit');
    await file('english', lights, 'Street lights are flickering all night');
    await file('hole', roads, 'Nid-de-poule profond devant l’école', 'Boulevard de la Liberté');
    await file('holes', roads, 'Deux trous dans la chaussée');
    // No department: its category has none (updated by hand: categories need one through the API here).
    await file('orphan', roads, 'Banc renversé, éclairage cassé à côté');
    await db.query(`UPDATE reports SET department = NULL WHERE id = $1`, [ids.orphan]);
    await createReport(t.http, citizen.accessToken, other, foreign, { description: "Éclairage en panne chez les voisins", location: near(other) });
  });
  afterAll(() => t.close());

  it('finds words whatever their accents and case, in French and in English, by stem', async () => {
    const everything = 'department=all&limit=200';
    expect(new Set(await found(generalist, `${everything}&q=eclairage`))).toEqual(new Set([ids.lamp, ids.orphan]));
    expect(await found(generalist, `${everything}&q=${encodeURIComponent('ÉCLAIRAGE panne')}`)).toEqual([ids.lamp]);
    expect(await found(generalist, `${everything}&q=lampadaire`)).toEqual([ids.lamps]);
    expect(await found(generalist, `${everything}&q=flicker`)).toEqual([ids.english]);
    expect(await found(generalist, `${everything}&q=ecole`)).toEqual([ids.hole]);
    expect(await found(generalist, `${everything}&q=liberte`)).toEqual([ids.hole]);
    expect(await found(generalist, `${everything}&q=${encodeURIComponent('"en panne" -lundi')}`)).toEqual([]);
    expect(await found(generalist, `${everything}&q=grue`)).toEqual([]);
    const [{ number }] = await db.query(`SELECT number::text FROM reports WHERE id = $1`, [ids.holes]);
    expect(await found(generalist, `${everything}&q=${encodeURIComponent(`#${number}`)}`)).toEqual([ids.holes]);
    // Only this town's reports: the neighbours' "Éclairage en panne" never shows.
    for (const id of await found(generalist, `${everything}&q=eclairage`)) expect(Object.values(ids)).toContain(id);
  });

  it('combines the search with the other filters and pages it by keyset', async () => {
    const first = (await queue(generalist, 'department=all&q=eclairage&limit=1').expect(200)).body as Page;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await queue(generalist, `department=all&q=eclairage&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`).expect(200)).body as Page;
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0].id);
    expect(new Set([...first.items, ...second.items].map((r) => r.id))).toEqual(new Set([ids.lamp, ids.orphan]));
    expect(await found(generalist, 'department=all&q=eclairage&status=acknowledged')).toEqual([]);
    expect(await found(generalist, 'department=Voirie&q=trous')).toEqual([ids.holes]);
  });

  it("shows a staff member their own department by default (with the reports of none), and any other when asked", async () => {
    expect(new Set(await found(roadsAgent, 'limit=200'))).toEqual(new Set([ids.hole, ids.holes, ids.orphan]));
    expect(new Set(await found(roadsAgent, 'department=mine'))).toEqual(new Set([ids.hole, ids.holes, ids.orphan]));
    expect(new Set(await found(roadsAgent, `department=${encodeURIComponent('Éclairage')}`))).toEqual(new Set([ids.lamp, ids.lamps, ids.english]));
    expect(await found(roadsAgent, 'department=none')).toEqual([ids.orphan]);
    expect((await found(roadsAgent, 'department=all')).length).toBe(6);
    // A generalist (no department) and the platform admin see every department by default.
    expect((await found(generalist, '')).length).toBe(6);
    expect((await found(admin, '')).length).toBe(6);
  });

  it('is for that town staff only, and validates its parameters', async () => {
    await t.http.get(`/api/v1/municipalities/${town.slug}/triage?q=eclairage`).expect(401);
    await queue(citizen, 'q=eclairage').expect(403);
    await queue(staffOfOther, 'q=eclairage').expect(403);
    const own = (await queue(staffOfOther, 'q=eclairage', other.slug).expect(200)).body as Page;
    expect(own.items).toHaveLength(1);
    expect(own.items.map((r) => r.id)).not.toContain(ids.lamp);
    await queue(generalist, `q=${'x'.repeat(201)}`).expect(400);
    await queue(generalist, `department=${'x'.repeat(101)}`).expect(400);
    await queue(generalist, 'department=').expect(400);
    // Whatever people type is text to search, never a syntax error.
    for (const q of ['&|!:*', "'", '((', '-', '"']) await queue(generalist, `q=${encodeURIComponent(q)}`).expect(200);
  });

  it('can be served by the GIN index on the stored search vector', async () => {
    const plan: Array<{ 'QUERY PLAN': string }> = await db.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return manager.query(
        `EXPLAIN SELECT id FROM reports WHERE search_vector @@ (websearch_to_tsquery('civic_fr', 'eclairage') || websearch_to_tsquery('civic_en', 'eclairage'))`,
      );
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('reports_search_idx');
  });
});
