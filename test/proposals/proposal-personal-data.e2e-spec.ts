import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession } from '../utils/sessions';
import { draft, ProposalTown, proposalTown, published } from './proposal-fixtures';

jest.setTimeout(120_000);

/** A person's proposals, co-authorships and supports in their GDPR export, and what erasure leaves. */
describe('proposals: personal data (export and erasure)', () => {
  let t: TestApp;
  let town: ProposalTown;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    town = await proposalTown(t.http, { residencyRequired: false, supportThreshold: 50 });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** `who` wrote one published proposal and one draft, co-signs `other`'s first, supports `other`'s second. */
  async function contributor(name: string) {
    const who = await createSession(t.http, { displayName: name, locale: 'en' });
    const other = await createSession(t.http, { displayName: `${name}'s neighbour` });
    const own = await published(t.http, town, who, { title: `${name} wants benches on the square`, body: `${name} sits there every day.` });
    const ownDraft = await draft(t.http, town, who, { title: `${name} drafts a bike lane` });
    const cosigned = await published(t.http, town, other, { title: 'Plant trees in the school yard' });
    await other.auth(t.http.post(`/api/v1/proposals/${cosigned}/coauthors`)).send({ userId: who.user.id }).expect(204);
    await who.auth(t.http.post(`/api/v1/proposals/${cosigned}/coauthors/accept`)).expect(204);
    const supported = await published(t.http, town, other, { title: 'Light the underpass at night' });
    await who.auth(t.http.post(`/api/v1/proposals/${supported}/support`)).expect(200);
    // Someone else supports it too, so the count has a second row that must not change.
    await (await createSession(t.http)).auth(t.http.post(`/api/v1/proposals/${supported}/support`)).expect(200);
    return { who, other, own, ownDraft, cosigned, supported };
  }

  it("exports the person's proposals (drafts included), co-authorships and supports", async () => {
    const c = await contributor('Esme Exporter');
    const res = await c.who.auth(t.http.get('/api/v1/me/export')).expect(200);
    const section = res.body.sections.proposals;
    expect(section.proposals.map((p: { id: string }) => p.id)).toEqual([c.own, c.ownDraft]);
    expect(section.proposals[0]).toMatchObject({
      title: 'Esme Exporter wants benches on the square',
      body: 'Esme Exporter sits there every day.',
      status: 'published',
      topic: 'mobility',
      municipalityId: town.town.id,
    });
    expect(section.proposals[1]).toMatchObject({ title: 'Esme Exporter drafts a bike lane', status: 'draft' });
    expect(section.coauthorships).toEqual([
      { proposalId: c.cosigned, title: 'Plant trees in the school yard', invitedAt: expect.any(String), acceptedAt: expect.any(String) },
    ]);
    expect(section.supports).toEqual([{ proposalId: c.supported, title: 'Light the underpass at night', createdAt: expect.any(String) }]);
    // Nobody else's part: the neighbour's export lists their own proposals, not Esme's support.
    const theirs = (await c.other.auth(t.http.get('/api/v1/me/export')).expect(200)).body.sections.proposals;
    expect(theirs.proposals.map((p: { id: string }) => p.id)).toEqual([c.cosigned, c.supported]);
    expect(theirs.supports).toEqual([]);
  });

  it('erasure keeps the proposals without a name, drops the co-authorship, and keeps supports counted but leading to nobody', async () => {
    const c = await contributor('Nell Nameless');
    await c.who.auth(t.http.delete('/api/v1/me')).send({ password: c.who.user.password }).expect(204);

    const own = (await t.http.get(`/api/v1/proposals/${c.own}`).expect(200)).body;
    expect(own).toMatchObject({ author: null, title: 'Nell Nameless wants benches on the square', status: 'published' });
    const staffView = (await town.staff.auth(t.http.get(`/api/v1/proposals/${c.own}`)).expect(200)).body;
    expect(staffView.author).toBeNull();
    expect(JSON.stringify(staffView)).not.toContain(c.who.user.id);

    const cosigned = (await t.http.get(`/api/v1/proposals/${c.cosigned}`).expect(200)).body;
    expect(cosigned.coauthors).toEqual([]);
    expect(cosigned.author).toMatchObject({ id: c.other.user.id });

    // The support still counts (lists and the threshold go by it) but no row leads to the person.
    const supported = (await t.http.get(`/api/v1/proposals/${c.supported}`).expect(200)).body;
    expect(supported.supportCount).toBe(2);
    const rows: Array<{ user_id: string; known: boolean }> = await db.query(
      `SELECT s.user_id, EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id) AS known FROM proposal_supports s WHERE s.proposal_id = $1 ORDER BY known`,
      [c.supported],
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.known)).toEqual([false, true]);
    expect(rows.map((r) => r.user_id)).not.toContain(c.who.user.id);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM proposal_supports WHERE user_id = $1`, [c.who.user.id]);
    expect(n).toBe(0);
    // The erased author's public proposal is still listed, without a name; their id finds nothing.
    const list = (await t.http.get(`/api/v1/municipalities/${town.town.slug}/proposals?limit=100`).expect(200)).body;
    expect(list.items.find((p: { id: string }) => p.id === c.own)).toMatchObject({ author: null });
    const byThem = (await t.http.get(`/api/v1/municipalities/${town.town.slug}/proposals?authorId=${c.who.user.id}`).expect(200)).body;
    expect(byThem.items).toEqual([]);
    // Their draft stays invisible to everyone (no author left to see it).
    await town.staff.auth(t.http.get(`/api/v1/proposals/${c.ownDraft}`)).expect(404);
  });

  it("with removeContributions, replaces the proposal's title and body and keeps the rest for the town", async () => {
    const c = await contributor('Rory Remover');
    const before = (await t.http.get(`/api/v1/proposals/${c.own}`).expect(200)).body;
    await c.who.auth(t.http.delete('/api/v1/me')).send({ password: c.who.user.password, removeContributions: true }).expect(204);
    const after = (await t.http.get(`/api/v1/proposals/${c.own}`).expect(200)).body;
    expect(after).toMatchObject({
      author: null,
      title: "Removed at the author's request.",
      body: "Removed at the author's request.",
      bodyHtml: "<p>Removed at the author's request.</p>",
      status: before.status,
      topic: before.topic,
      supportCount: before.supportCount,
    });
    expect(JSON.stringify(after)).not.toContain('Rory');
    // Search no longer finds the old words.
    const found = (await t.http.get(`/api/v1/municipalities/${town.town.slug}/proposals?q=benches`).expect(200)).body;
    expect(found.items.map((p: { id: string }) => p.id)).not.toContain(c.own);
    expect((await t.http.get(`/api/v1/proposals/${c.supported}`).expect(200)).body.supportCount).toBe(2);
  });
});
