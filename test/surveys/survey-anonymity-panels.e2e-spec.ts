import { DataSource } from 'typeorm';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { createSurvey, fullAnswers, residentOf } from './survey-fixtures';

describe('surveys: anonymity and panel surveys', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let staff: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
  });
  afterAll(() => t.close());

  it('anonymous survey: responses cannot be paired with people, not through xmin, ctid, ids or timestamps', async () => {
    const survey = await createSurvey(t.http, staff, town.slug, { anonymous: true });
    const url = `/api/v1/surveys/${survey.id}/response`;
    const people = [await residentOf(t.http, town, staff), await residentOf(t.http, town, staff), await residentOf(t.http, town, staff), await residentOf(t.http, town, staff)];
    const texts = ['alpha-secret-text', 'bravo-secret-text', 'charlie-secret-text'];
    // Three submit (one edits after submitting), one only saves a draft.
    for (const [i, p] of people.slice(0, 3).entries()) {
      await p.auth(t.http.put(url)).send({ answers: { q1: 'never' } }).expect(200);
      await p.auth(t.http.put(url)).send({ answers: fullAnswers({ q4: i, q6: texts[i] }), submit: true }).expect(200);
    }
    await people[0].auth(t.http.put(url)).send({ answers: fullAnswers({ q4: 10, q6: texts[0] }) }).expect(200);
    await people[3].auth(t.http.put(url)).send({ answers: { q1: 'often' } }).expect(200);
    // The respondent comes back to their own answers.
    expect((await people[0].auth(t.http.get(url)).expect(200)).body).toMatchObject({ anonymous: true, submitted: true, answers: { q4: 10 } });

    // While open the database holds ciphertext only, and no user id beside it.
    const sealed = await db.query(`SELECT * FROM survey_sealed_responses WHERE survey_id = $1`, [survey.id]);
    expect(sealed).toHaveLength(4);
    const sealedText = JSON.stringify(sealed);
    for (const secret of [...texts, ...people.map((p) => p.user.id)]) expect(sealedText).not.toContain(secret);
    expect(Object.keys(sealed[0]).sort()).toEqual(['respondent_lookup', 'sealed', 'survey_id']);
    // No results before the close, for the staff neither (the difference of two readings around one
    // submission would be that person's answers): the count only is live.
    const early = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results`)).expect(409);
    expect(early.body.code).toBe('SURVEY_RESULTS_NOT_READY');
    await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results.csv`)).expect(409);

    await staff.auth(t.http.post(`/api/v1/surveys/${survey.id}/close`)).expect(200);
    await people[0].auth(t.http.get(url)).expect(404);

    const participations = await db.query(`SELECT xmin::text AS xmin, ctid::text AS ctid, * FROM survey_participations WHERE survey_id = $1`, [survey.id]);
    const responses = await db.query(`SELECT xmin::text AS xmin, ctid::text AS ctid, * FROM survey_anonymous_responses WHERE survey_id = $1`, [survey.id]);
    expect(participations).toHaveLength(4);
    expect(participations.filter((p: { submitted: boolean }) => p.submitted).map((p: { user_id: string }) => p.user_id).sort()).toEqual(people.slice(0, 3).map((p) => p.user.id).sort());
    // Only the three submitted responses, the edit kept, the draft dropped.
    expect(responses).toHaveLength(3);
    expect(responses.map((r: { answers: { q6: string; q4: number } }) => `${r.answers.q6}:${r.answers.q4}`).sort()).toEqual(['alpha-secret-text:10', 'bravo-secret-text:1', 'charlie-secret-text:2']);
    // Nothing in common but the survey: no user, no time, no sequence.
    expect(Object.keys(responses[0]).sort()).toEqual(['answers', 'ctid', 'features', 'id', 'survey_id', 'xmin']);
    const columns = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'survey_anonymous_responses'`);
    expect(columns.some((c: { data_type: string }) => c.data_type.startsWith('timestamp'))).toBe(false);
    // Every response row was written by one transaction (the close), which wrote no participation.
    expect(new Set(responses.map((r: { xmin: string }) => r.xmin)).size).toBe(1);
    const participationXmins = new Set(participations.map((p: { xmin: string }) => p.xmin));
    expect(participationXmins.has(responses[0].xmin)).toBe(false);
    // Ids are fresh random v4 uuids, unrelated to anything the people hold.
    for (const r of responses) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The sealed rows are gone.
    expect(await db.query(`SELECT * FROM survey_sealed_responses WHERE survey_id = $1`, [survey.id])).toEqual([]);
    // The outbox says a response came, never whose.
    const events = await db.query(`SELECT payload::text AS payload, actor_id FROM outbox_events WHERE aggregate_id = $1 AND type = 'surveys.response_submitted'`, [survey.id]);
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.actor_id).toBeNull();
      for (const p of people) expect(e.payload).not.toContain(p.user.id);
    }
    // The CSV has no respondent column.
    const csv = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results.csv`)).expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe('q1,q2,q3,q4,q5,q6');
    const results = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results`)).expect(200);
    expect(results.body.questions.find((q: { id: string }) => q.id === 'q4').scale.mean).toBe(4.333333);
  });

  describe('a panel survey', () => {
    let panelId: string;
    let survey: { id: string };
    let members: Array<{ session: Session; features: Record<string, string> }>;
    let drawnOnly: Session;
    let notDrawn: Session[];
    let outsider: Session;

    beforeAll(async () => {
      // 6 volunteers (3 f, 3 m) for 4 seats of 2 f and 2 m: the draw seats 4, who confirm to become active.
      panelId = (await createPanel(t.http, admin, town.slug, smallPanelBody())).id;
      const profiles = [{ gender: 'f', age: 'young' }, { gender: 'f', age: 'old' }, { gender: 'f', age: 'young' }, { gender: 'm', age: 'young' }, { gender: 'm', age: 'old' }, { gender: 'm', age: 'old' }];
      const people: Array<{ session: Session; profileId: string; features: Record<string, string> }> = [];
      for (const features of profiles) people.push({ ...(await volunteer(t.http, town.slug, admin, panelId, features)), features });
      await admin.auth(t.http.post(`/api/v1/panels/${panelId}/pool/close`)).expect(200);
      const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panelId}/selections`)).send({ seed: 'survey-dice' }).expect(201);
      const chosen = people.filter((p) => drawn.body.members.includes(p.profileId));
      expect(chosen).toHaveLength(4);
      notDrawn = people.filter((p) => !drawn.body.members.includes(p.profileId)).map((p) => p.session);
      survey = await createSurvey(t.http, staff, town.slug, { audience: { kind: 'panel', panelId } });
      // Drawn but not yet confirmed: not an active member.
      drawnOnly = chosen[0].session;
      await drawnOnly.auth(t.http.put(`/api/v1/surveys/${survey.id}/response`)).send({ answers: { q1: 'often' } }).expect(403);
      for (const person of chosen) await person.session.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(200);
      members = chosen.map((p) => ({ session: p.session, features: p.features }));
      outsider = await residentOf(t.http, town, staff);
    });

    it('lets its active members answer and refuses anyone else (403): a resident, a volunteer not drawn', async () => {
      const url = `/api/v1/surveys/${survey.id}/response`;
      for (const s of [outsider, ...notDrawn]) {
        const refused = await s.auth(t.http.put(url)).send({ answers: { q1: 'often' } }).expect(403);
        expect(refused.body.code).toBe('SURVEY_NOT_TARGETED');
      }
      await t.http.put(url).send({ answers: {} }).expect(401);
      // Two women and one man answer; the other man does not.
      const women = members.filter((m) => m.features.gender === 'f');
      const man = members.find((m) => m.features.gender === 'm')!;
      const plan: Array<[Session, string, number]> = [
        [women[0].session, 'yes', 6],
        [women[1].session, 'no', 10],
        [man.session, 'no', 0],
      ];
      for (const [s, q2, q4] of plan) {
        await s.auth(t.http.put(url)).send({ answers: fullAnswers({ q2, q3: q2 === 'yes' ? ['gare'] : undefined, q4 }), submit: true }).expect(200);
      }
    });

    it('cross-tabs by a panel feature and weights by its quotas (post-stratification), as computed by hand', async () => {
      const crossed = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results?by=gender`)).expect(200);
      const q2 = crossed.body.questions.find((q: { id: string }) => q.id === 'q2');
      expect(q2.crossTab).toEqual({ feature: 'gender', values: ['f', 'm'], rows: [{ code: 'yes', counts: { f: 1, m: 0 } }, { code: 'no', counts: { f: 1, m: 1 } }] });
      expect(crossed.body.questions.find((q: { id: string }) => q.id === 'q4').crossTab.means).toEqual({ f: 8, m: 0 });
      expect(q2.options.map((o: { percent: number }) => o.percent)).toEqual([33.3333, 66.6667]);

      // Quotas f 2–2, m 2–2 → targets 50 % / 50 %; respondents 2 f, 1 m → a woman weighs 0.5 / (2/3) = 0.75, the man 0.5 / (1/3) = 1.5.
      const weighted = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results?weightBy=gender`)).expect(200);
      expect(weighted.body.weighting).toEqual({
        feature: 'gender',
        unweighted: 0,
        cells: [
          { value: 'f', target: 0.5, respondents: 2, weight: 0.75 },
          { value: 'm', target: 0.5, respondents: 1, weight: 1.5 },
        ],
      });
      const w2 = weighted.body.questions.find((q: { id: string }) => q.id === 'q2');
      // yes: 0.75 of 3 (25 %); no: 0.75 + 1.5 = 2.25 (75 %).
      expect(w2.options.map((o: { count: number; percent: number }) => [o.count, o.percent])).toEqual([[0.75, 25], [2.25, 75]]);
      // Mean safety: unweighted (6 + 10 + 0) / 3 = 5.333333; weighted (0.75 × 16 + 1.5 × 0) / 3 = 4.
      expect(crossed.body.questions.find((q: { id: string }) => q.id === 'q4').scale.mean).toBe(5.333333);
      expect(weighted.body.questions.find((q: { id: string }) => q.id === 'q4').scale.mean).toBe(4);
      const bad = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results?weightBy=shoe`)).expect(400);
      expect(bad.body.details[0]).toMatchObject({ field: 'weightBy', code: 'UNKNOWN_FEATURE' });
      const csv = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results.csv`)).expect(200);
      expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe('respondent,age,gender,q1,q2,q3,q4,q5,q6');
    });
  });
});
