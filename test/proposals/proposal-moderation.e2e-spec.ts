import { DataSource } from 'typeorm';
import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { moderationHelpers } from '../engagement/moderation-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { draft, ProposalTown, proposalTown, published } from './proposal-fixtures';

jest.setTimeout(180_000);

/**
 * Proposals under the town's moderation (libs/engagement): pre-moderation holds them at
 * publication, staff approve or refuse them with a reason, flags hide them pending review.
 */
describe('proposals: pre-moderation and flags', () => {
  let t: TestApp;
  let p: ProposalTown;
  let author: Session;
  let citizen: Session;
  let otherStaff: Session;
  let h: ReturnType<typeof moderationHelpers>;

  beforeAll(async () => {
    t = await createTestApp();
    h = moderationHelpers(t.http);
    p = await proposalTown(t.http, { residencyRequired: false });
    author = await createSession(t.http);
    citizen = await createSession(t.http);
    const other = await createMunicipality(t.http, p.platformAdmin.accessToken);
    otherStaff = await memberSession(t.http, p.platformAdmin.accessToken, other.slug, ['staff']);
  });
  afterAll(() => t.close());

  const get = (id: string, who?: Session) => (who ? who.auth(t.http.get(`/api/v1/proposals/${id}`)) : t.http.get(`/api/v1/proposals/${id}`));
  const listed = async () => (await t.http.get(`/api/v1/municipalities/${p.town.slug}/proposals?limit=100`).expect(200)).body.items.map((i: { id: string }) => i.id);

  it('holds everything when the town says so: the author sees it awaiting review, staff approve it, then it is public', async () => {
    await h.setRules(p.admin, p.town.slug, { holdAll: true });
    try {
      const id = await draft(t.http, p, author, { title: 'Un skatepark près du stade' });
      const res = await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(200);
      expect(res.body).toMatchObject({ status: 'held', awaitingReview: true, publishedAt: null });
      await get(id).expect(404);
      await get(id, citizen).expect(404);
      await get(id, otherStaff).expect(404);
      expect((await get(id, p.staff).expect(200)).body.awaitingReview).toBe(true);
      expect(await listed()).not.toContain(id);
      await citizen.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(404);
      // Held: its author can neither publish it again nor change the text under review.
      expect((await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(409)).body.meta).toMatchObject({ from: 'held', to: 'published' });
      await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Autre chose' }).expect(409);

      const item = await h.itemFor(p.staff, p.town.slug, id);
      expect(item).toMatchObject({ subjectType: 'proposal', collection: 'proposals', kind: 'held', reason: 'everything', preview: 'Un skatepark près du stade' });
      await h.decide(citizen, p.town.slug, item!.id, 'approve').expect(403);
      await h.decide(p.staff, p.town.slug, item!.id, 'approve').expect(200);
      const now = await get(id).expect(200);
      expect(now.body).toMatchObject({ status: 'published', awaitingReview: false });
      expect(now.body.publishedAt).not.toBeNull();
      expect(await listed()).toContain(id);
    } finally {
      await h.setRules(p.admin, p.town.slug, { holdAll: false });
    }
  });

  it('holds a proposal with a listed word; refused, it goes back to its author as a draft with the reason', async () => {
    await h.setRules(p.admin, p.town.slug, { heldWords: ['arnaque'] });
    try {
      const clean = await published(t.http, p, author, { title: 'Une boîte à livres', body: 'Une boîte à livres dans le square.' });
      expect((await get(clean).expect(200)).body.status).toBe('published');
      const id = await draft(t.http, p, author, { title: 'Le parking est une Arnaque', body: 'Il faut rendre le parking gratuit le dimanche.' });
      expect((await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(200)).body.status).toBe('held');
      const item = await h.itemFor(p.staff, p.town.slug, id);
      expect(item).toMatchObject({ reason: 'word_list', matchedWords: ['arnaque'] });
      await h.decide(p.staff, p.town.slug, item!.id, 'reject', {}).expect(400);
      await h.decide(p.staff, p.town.slug, item!.id, 'reject', { reason: 'Propos injurieux envers le service' }).expect(200);
      const back = await get(id, author).expect(200);
      expect(back.body).toMatchObject({ status: 'draft', moderationNote: 'Propos injurieux envers le service' });
      await get(id, p.staff).expect(404);
      await get(id).expect(404);
    } finally {
      await h.setRules(p.admin, p.town.slug, { heldWords: [] });
    }
  });

  it('hides a proposal once it has the town’s number of pending flags, and puts it back where it was when staff approve it', async () => {
    await h.setRules(p.admin, p.town.slug, { flagThreshold: 2 });
    const id = await published(t.http, p, author, { title: 'Un feu rouge rue Faidherbe' });
    await citizen.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(200);
    const flaggers = [citizen, await createSession(t.http)];
    await flaggers[0].auth(t.http.post(`/api/v1/proposals/${id}/flags`)).send({ reason: 'spam' }).expect(201);
    expect((await get(id).expect(200)).body.status).toBe('published');
    await flaggers[1].auth(t.http.post(`/api/v1/proposals/${id}/flags`)).send({ reason: 'abusive' }).expect(201);
    await get(id).expect(404);
    expect(await listed()).not.toContain(id);
    expect((await get(id, author).expect(200)).body.status).toBe('hidden');
    const item = await h.itemFor(p.staff, p.town.slug, id);
    expect(item).toMatchObject({ kind: 'flagged', reason: 'flags', openFlags: 2 });
    await h.decide(p.staff, p.town.slug, item!.id, 'approve').expect(200);
    expect((await get(id).expect(200)).body).toMatchObject({ status: 'published', supportCount: 1 });
  });

  it('expires a proposal approved (unhidden) after its support period ended while it was hidden', async () => {
    await h.setRules(p.admin, p.town.slug, { flagThreshold: 1 });
    try {
      const id = await published(t.http, p, author, { title: 'Un banc sous le tilleul' });
      await citizen.auth(t.http.post(`/api/v1/proposals/${id}/flags`)).send({ reason: 'spam' }).expect(201);
      expect((await get(id, author).expect(200)).body.status).toBe('hidden');
      // Time moves on: the support period is over while it is hidden.
      await t.app.get(DataSource).query(`UPDATE proposals SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
      const item = await h.itemFor(p.staff, p.town.slug, id);
      await h.decide(p.staff, p.town.slug, item!.id, 'approve').expect(200);
      expect((await get(id).expect(200)).body.status).toBe('expired');
      await createSession(t.http).then((s) => s.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(409));
      const moves = await t.app.get(DataSource).query(`SELECT payload->>'to' AS "to" FROM outbox_events WHERE aggregate_id = $1 AND type = 'proposals.status_changed' ORDER BY id`, [id]);
      expect(moves.map((m: { to: string }) => m.to)).toEqual(['published', 'hidden', 'published', 'expired']);
    } finally {
      await h.setRules(p.admin, p.town.slug, { flagThreshold: 3 });
    }
  });

  it('applies the same rules to comments on proposals', async () => {
    const id = await published(t.http, p, author, { title: 'Des poubelles de tri au marché' });
    await h.setRules(p.admin, p.town.slug, { holdAll: true });
    try {
      const c = await citizen.auth(t.http.post(`/api/v1/proposals/${id}/comments`)).send({ body: 'Bonne idée !' }).expect(201);
      expect(c.body.awaitingReview).toBe(true);
      const thread = await t.http.get(`/api/v1/proposals/${id}/comments`).expect(200);
      expect(thread.body.items.map((x: { id: string }) => x.id)).not.toContain(c.body.id);
      expect(await h.itemFor(p.staff, p.town.slug, c.body.id)).toMatchObject({ subjectType: 'comment', kind: 'held' });
    } finally {
      await h.setRules(p.admin, p.town.slug, { holdAll: false, flagThreshold: 3 });
    }
  });
});
