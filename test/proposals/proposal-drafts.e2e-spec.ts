import { DataSource } from 'typeorm';
import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { draft, makeResident, ProposalTown, proposalTown, published } from './proposal-fixtures';

jest.setTimeout(180_000);

/** Tags and attributes the safe Markdown subset may produce; anything else is a sanitizer failure. */
const ALLOWED_TAGS = new Set(['p', 'em', 'strong', 'ul', 'ol', 'li', 'a', 'br']);
function assertSafeHtml(html: string): void {
  for (const [, tag, attrs] of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    expect(ALLOWED_TAGS).toContain(tag.toLowerCase());
    for (const [, name, value] of attrs.matchAll(/\s([a-zA-Z-]+)="([^"]*)"/g)) {
      expect(['href', 'rel']).toContain(name);
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/|mailto:)/);
    }
    expect(attrs).not.toMatch(/\son\w+\s*=/i);
  }
}

describe('proposals: topics, settings, drafts, publication, co-authors', () => {
  let t: TestApp;
  let p: ProposalTown;
  let author: Session;
  let citizen: Session;
  let otherAdmin: Session;
  let erased: Session;

  beforeAll(async () => {
    t = await createTestApp();
    p = await proposalTown(t.http);
    author = await createSession(t.http, { displayName: 'Camille' });
    citizen = await createSession(t.http);
    erased = await createSession(t.http, { displayName: 'Soon gone' });
    const other = await createMunicipality(t.http, p.platformAdmin.accessToken);
    otherAdmin = await memberSession(t.http, p.platformAdmin.accessToken, other.slug, ['admin']);
  });

  afterAll(async () => {
    await t?.close();
  });

  const url = (path: string) => `/api/v1/municipalities/${p.town.slug}${path}`;

  describe('topics and settings', () => {
    it('are managed by the municipality admin only, in French and English', async () => {
      const body = { code: 'green', nameFr: 'Espaces verts', nameEn: 'Green spaces' };
      await t.http.post(url('/proposal-topics')).send(body).expect(401);
      for (const who of [citizen, p.staff, otherAdmin]) await who.auth(t.http.post(url('/proposal-topics'))).send(body).expect(403);
      const created = await p.admin.auth(t.http.post(url('/proposal-topics'))).send(body).expect(201);
      const taken = await p.admin.auth(t.http.post(url('/proposal-topics'))).send(body).expect(409);
      expect(taken.body.code).toBe('PROPOSAL_TOPIC_CODE_TAKEN');
      const list = await t.http.get(url('/proposal-topics')).expect(200);
      expect(list.body.items.map((x: { code: string }) => x.code)).toEqual(['green', 'mobility']);
      await p.admin.auth(t.http.patch(url(`/proposal-topics/${created.body.id}`))).send({ active: false }).expect(200);
      const after = await t.http.get(url('/proposal-topics')).expect(200);
      expect(after.body.items.map((x: { code: string }) => x.code)).toEqual(['mobility']);
      // An inactive topic takes no new proposal.
      const refused = await author.auth(t.http.post(url('/proposals'))).send({ title: 'Un parc', body: 'Un parc de plus dans le quartier.', topicId: created.body.id }).expect(422);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'topicId', code: 'UNKNOWN_TOPIC' })]);
    });

    it('have defaults (residency required, 90 days, 30 working days) the admin changes; French messages on request', async () => {
      const defaults = await t.http.get(url('/proposal-settings')).expect(200);
      expect(defaults.body).toEqual({ residencyRequired: true, supportThreshold: 100, supportPeriodDays: 90, answerDeadlineDays: 30 });
      await p.staff.auth(t.http.put(url('/proposal-settings'))).send({ supportThreshold: 5 }).expect(403);
      const bad = await p.admin.auth(t.http.put(url('/proposal-settings'))).set('Accept-Language', 'fr').send({ supportThreshold: 0, extra: 1 }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'supportThreshold']);
      const changed = await p.admin.auth(t.http.put(url('/proposal-settings'))).send({ supportThreshold: 5 }).expect(200);
      expect(changed.body).toEqual({ residencyRequired: true, supportThreshold: 5, supportPeriodDays: 90, answerDeadlineDays: 30 });
    });
  });

  describe('drafts', () => {
    it('keep only the safe Markdown subset of a hostile body', async () => {
      const hostile = [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '[click](javascript:alert(1))',
        '[click](JaVaScRiPt:alert(1))',
        '[click](&#106;avascript:alert(1))',
        '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
        '![pixel](data:image/png;base64,iVBORw0KGgo=)',
        '<a href="javascript:alert(1)">x</a>',
        '<svg><script>alert(1)</script></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '[ok](https://example.org "title\\" onmouseover=\\"alert(1)")',
        '<<script>script>alert(1)<</script>/script>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '[x](vbscript:msgbox(1))',
        '<details open ontoggle=alert(1)>',
        '# Heading\n\n> quote\n\n```\ncode\n```\n\n| a | b |\n|---|---|',
      ].join('\n\n');
      const body = `**Plus de vélos** et *moins* de voitures.\n\n- un\n- [deux](https://example.org)\n\n${hostile}`;
      const id = await draft(t.http, p, author, { body });
      const view = await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200);
      expect(view.body.body).toBe(body);
      assertSafeHtml(view.body.bodyHtml);
      expect(view.body.bodyHtml).toContain('<strong>Plus de vélos</strong>');
      expect(view.body.bodyHtml).toContain('<a href="https://example.org" rel="nofollow ugc noopener noreferrer">deux</a>');
      // Typed HTML comes out as text (escaped); no element but the subset's, no link but http(s).
      expect(view.body.bodyHtml).not.toMatch(/<(script|img|iframe|svg|div|details)/i);
      expect(view.body.bodyHtml).not.toMatch(/<a href="(?!https:)/i);
    });

    it('refuse bad input with a 4xx naming the field, writing nothing', async () => {
      const before = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM proposals WHERE municipality_id = $1`, [p.town.id]);
      const base = { title: 'Un banc', body: 'Un banc devant la poste, pour attendre.', topicId: p.topicId };
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ ...base, title: 'x'.repeat(151) }, 400, 'title'],
        [{ ...base, body: 'x'.repeat(20_001) }, 400, 'body'],
        [{ ...base, topicId: '00000000-0000-4000-8000-000000000000' }, 422, 'topicId'],
        [{ ...base, topicId: 'not-a-uuid' }, 400, 'topicId'],
        [{ ...base, location: { lat: p.town.center[1] + 1, lng: p.town.center[0] } }, 422, 'location'],
        [{ ...base, districtId: '00000000-0000-4000-8000-000000000000' }, 422, 'districtId'],
        [{ ...base, body: '![only](data:image/png;base64,AAAA)\n\n![two](x.png)' }, 422, 'body'],
        [{ ...base, status: 'published' }, 400, 'status'],
      ];
      for (const [body, status, field] of cases) {
        const res = await author.auth(t.http.post(url('/proposals'))).send(body).expect(status);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await t.http.post(url('/proposals')).send(base).expect(401);
      const after = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM proposals WHERE municipality_id = $1`, [p.town.id]);
      expect(after).toEqual(before);
    });

    it('derive the district from the place, or take a district of the town', async () => {
      const [lng, lat] = p.town.center;
      const located = await draft(t.http, p, author, { location: { lat: lat + 0.004, lng: lng + 0.004 } });
      const view = await author.auth(t.http.get(`/api/v1/proposals/${located}`)).expect(200);
      expect(view.body).toMatchObject({ location: { lat: lat + 0.004, lng: lng + 0.004 }, districtId: p.districtId });
      const outside = await draft(t.http, p, author, { location: { lat: lat - 0.004, lng: lng - 0.004 } });
      expect((await author.auth(t.http.get(`/api/v1/proposals/${outside}`)).expect(200)).body.districtId).toBeNull();
      const chosen = await draft(t.http, p, author, { districtId: p.districtId });
      expect((await author.auth(t.http.get(`/api/v1/proposals/${chosen}`)).expect(200)).body.districtId).toBe(p.districtId);
    });

    it('lose their saved place with location: null, keeping its district unless told otherwise', async () => {
      const [lng, lat] = p.town.center;
      const get = async (id: string) => (await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body;
      const id = await draft(t.http, p, author, { location: { lat: lat + 0.004, lng: lng + 0.004 } });
      const unplaced = await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ location: null }).expect(200);
      expect(unplaced.body).toMatchObject({ location: null, districtId: p.districtId });
      expect(await get(id)).toMatchObject({ location: null, districtId: p.districtId });
      // Another place later brings its own district; then both off at once leaves none.
      await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ location: { lat: lat - 0.004, lng: lng - 0.004 } }).expect(200);
      expect(await get(id)).toMatchObject({ location: { lat: lat - 0.004, lng: lng - 0.004 }, districtId: null });
      await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ location: null, districtId: p.districtId }).expect(200);
      expect(await get(id)).toMatchObject({ location: null, districtId: p.districtId });
      await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ districtId: null }).expect(200);
      expect(await get(id)).toMatchObject({ location: null, districtId: null });
      // The SQL point follows the columns: nothing left for the map.
      const [row] = await t.app.get(DataSource).query(`SELECT location IS NULL AS gone, lat, lng FROM proposals WHERE id = $1`, [id]);
      expect(row).toEqual({ gone: true, lat: null, lng: null });
      const bad = await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ location: { lat: 'north' } }).expect(400);
      expect(JSON.stringify(bad.body)).toContain('location');
    });

    it('are seen by their author only: anonymous, another citizen, staff get 404', async () => {
      const id = await draft(t.http, p, author);
      await t.http.get(`/api/v1/proposals/${id}`).expect(404);
      await citizen.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(404);
      await p.staff.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(404);
      const mine = await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200);
      expect(mine.body).toMatchObject({ status: 'draft', author: { id: author.user.id, displayName: 'Camille' }, language: 'fr', supportCount: 0 });
      await citizen.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Pris' }).expect(404);
      await citizen.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(404);
    });
  });

  describe('publication', () => {
    it('makes it public; publishing twice is a 409 listing the allowed moves; others cannot publish', async () => {
      const id = await draft(t.http, p, author, { title: 'More bike racks by the library', body: 'We need more racks for the bikes of the library users.' });
      const res = await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(200);
      expect(res.body).toMatchObject({ status: 'published', language: 'en', supportCount: 0 });
      expect(new Date(res.body.expiresAt).getTime() - new Date(res.body.publishedAt).getTime()).toBe(90 * 86_400_000);
      const anon = await t.http.get(`/api/v1/proposals/${id}`).expect(200);
      expect(anon.body).toMatchObject({ id, status: 'published', supportedByMe: false, awaitingReview: false });
      const again = await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(409);
      expect(again.body).toMatchObject({ code: 'PROPOSAL_ILLEGAL_TRANSITION', meta: { from: 'published', to: 'published' } });
      expect(again.body.meta.allowed).toEqual(expect.arrayContaining(['threshold_reached', 'expired', 'withdrawn', 'hidden']));
      const fr = await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).set('Accept-Language', 'fr').expect(409);
      expect(fr.body.message).toMatch(/^Une proposition ne peut pas passer de published à published/);
    });

    it('lets the author edit until the first support, and withdraw with a reason', async () => {
      const id = await published(t.http, p, author);
      const edited = await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Des arceaux vélo couverts' }).expect(200);
      expect(edited.body.title).toBe('Des arceaux vélo couverts');
      await citizen.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Volé' }).expect(403);
      await author.auth(t.http.post(`/api/v1/proposals/${id}/withdraw`)).send({}).expect(400);
      const withdrawn = await author.auth(t.http.post(`/api/v1/proposals/${id}/withdraw`)).send({ reason: 'La mairie le fait déjà' }).expect(200);
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawnReason: 'La mairie le fait déjà' });
      // Still readable (it was public), and final.
      await t.http.get(`/api/v1/proposals/${id}`).expect(200);
      const again = await author.auth(t.http.post(`/api/v1/proposals/${id}/withdraw`)).send({ reason: 'encore' }).expect(409);
      expect(again.body.meta).toEqual({ from: 'withdrawn', to: 'withdrawn', allowed: [] });
    });
  });

  describe('co-authors', () => {
    it('are invited by the author, shown once they accept; unknown or erased people are a 422', async () => {
      const coauthor = await createSession(t.http, { displayName: 'Dominique' });
      const id = await published(t.http, p, author);
      const unknown = await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: '00000000-0000-4000-8000-000000000000' }).expect(422);
      expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'userId', code: 'UNKNOWN_PERSON' })]);
      await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
      await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: erased.user.id }).expect(422);
      await erased.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(401);
      await citizen.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: coauthor.user.id }).expect(403);
      await coauthor.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(404);
      await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: coauthor.user.id }).expect(204);
      expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.coauthors).toEqual([]);
      await coauthor.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(204);
      expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.coauthors).toEqual([{ id: coauthor.user.id, displayName: 'Dominique' }]);
    });

    it('are listed to the invitee until answered; a declined invitation goes and can be sent again', async () => {
      const invitee = await createSession(t.http, { displayName: 'Camille' });
      const id = await draft(t.http, p, author);
      await invitee.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/decline`)).expect(404);
      await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: invitee.user.id }).expect(204);
      const pending = await invitee.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200);
      expect(pending.body.items).toEqual([expect.objectContaining({ id, status: 'draft', coauthors: [] })]);
      await t.http.get('/api/v1/me/proposal-invitations').expect(401);
      await invitee.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/decline`)).expect(204);
      expect((await invitee.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200)).body.items).toEqual([]);
      // Declined: no longer a co-author to be, so the draft is out of sight again.
      await invitee.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(404);
      await invitee.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(404);
      await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: invitee.user.id }).expect(204);
      await invitee.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(204);
      expect((await invitee.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200)).body.items).toEqual([]);
      await invitee.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/decline`)).expect(404);
    });
  });

  describe('co-authors by e-mail', () => {
    it('find only verified residents of the town; anything else is one 422 on email; every lookup audited', async () => {
      const id = await draft(t.http, p, author);
      const invite = (who: Session, email: unknown) => who.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/by-email`)).send({ email });
      const resident = await createSession(t.http, { displayName: 'Lou Résidente' });
      await makeResident(t.http, p, resident);
      const notResident = await createSession(t.http);
      // Not the author: nothing is looked up (404 for a draft they cannot see).
      await invite(citizen, resident.user.email).expect(404);
      await t.http.post(`/api/v1/proposals/${id}/coauthors/by-email`).send({ email: resident.user.email }).expect(401);
      for (const email of ['not-an-address', 42, 'x'.repeat(250) + '@a.fr']) {
        const bad = await invite(author, email).expect(400);
        expect(JSON.stringify(bad.body.details)).toContain('email');
      }
      await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/by-email`)).send({ email: resident.user.email, userId: resident.user.id }).expect(400);
      // No account, an account that is no resident here: the same answer.
      for (const email of ['nobody-here@example.org', notResident.user.email]) {
        const res = await invite(author, email).expect(422);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'email', code: 'UNKNOWN_PERSON' })]);
      }
      // Case and spaces do not matter; the invitee sees it among their invitations.
      await invite(author, `  ${resident.user.email.toUpperCase()} `).expect(204);
      const pending = await resident.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200);
      expect(pending.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
      await makeResident(t.http, p, author);
      const self = await invite(author, author.user.email).expect(422);
      expect(self.body.details).toEqual([expect.objectContaining({ field: 'email', code: 'AUTHOR_ALREADY_SIGNS' })]);
      const trail = await t.app
        .get(DataSource)
        .query(`SELECT actor_id, target_type, target_id, after FROM audit_log WHERE action = 'proposal.coauthor_looked_up' AND after->>'proposalId' = $1 ORDER BY id`, [id]);
      expect(trail.map((r: { after: { found: boolean } }) => r.after.found)).toEqual([false, false, true, true]);
      expect(trail[2]).toMatchObject({ actor_id: author.user.id, target_type: 'user', target_id: resident.user.id });
      expect(JSON.stringify(trail)).not.toContain('@');
    });
  });

  describe('reports', () => {
    it('record the district that contains them from now on', async () => {
      const category = await createCategory(t.http, p.admin.accessToken, p.town.slug);
      const inside = await createReport(t.http, citizen.accessToken, p.town, category.code, { location: near(p.town, 0.004, 0.004) });
      const outside = await createReport(t.http, citizen.accessToken, p.town, category.code, { location: near(p.town, -0.004, -0.004) });
      expect((await t.http.get(`/api/v1/reports/${inside.id}`).expect(200)).body.districtId).toBe(p.districtId);
      expect((await t.http.get(`/api/v1/reports/${outside.id}`).expect(200)).body.districtId).toBeNull();
    });
  });
});
