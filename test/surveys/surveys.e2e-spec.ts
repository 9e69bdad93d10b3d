import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createSurvey, fullAnswers, residentOf, surveyBody } from './survey-fixtures';

const fieldsOf = (res: Response): string[] => (res.body.details as Array<{ field: string }>).map((d) => d.field);
const DAY = 86_400_000;

describe('surveys: questionnaires, responses, results, access', () => {
  let t: TestApp;
  let db: DataSource;
  let platform: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let citizen: Session;
  let erased: Session;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken);
    other = await createMunicipality(t.http, platform.accessToken);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, platform.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http);
    erased = await residentOf(t.http, town, staff);
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
  });
  afterAll(() => t.close());

  describe('creating', () => {
    const url = () => `/api/v1/municipalities/${town.slug}/surveys`;

    it('lets the town staff create a survey, audited; anyone reads it, with its anonymity shown', async () => {
      const survey = await createSurvey(t.http, staff, town.slug, { anonymous: true });
      expect(survey).toMatchObject({ anonymous: true, state: 'open', audience: { kind: 'residents', districtId: null } });
      const read = await t.http.get(`/api/v1/surveys/${survey.id}`).expect(200);
      expect(read.body).toMatchObject({ anonymous: true, questions: expect.any(Array) });
      const list = await t.http.get(`${url()}?limit=1`).expect(200);
      expect(list.body.items).toHaveLength(1);
      const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [survey.id]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['survey.created']);
    });

    it('refuses anonymous (401), a citizen and another town’s staff (403), an erased account (401)', async () => {
      await t.http.post(url()).send(surveyBody()).expect(401);
      await citizen.auth(t.http.post(url())).send(surveyBody()).expect(403);
      await otherStaff.auth(t.http.post(url())).send(surveyBody()).expect(403);
      await erased.auth(t.http.post(url())).send(surveyBody()).expect(401);
    });

    it('names what is wrong: 422 for the questionnaire, audience and dates; 400 for unknown or malformed fields', async () => {
      const bad = await staff
        .auth(t.http.post(url()))
        .send(
          surveyBody({
            questions: [
              { id: 'a', type: 'single_choice', label: 'A', required: true, options: [{ code: 'x', label: 'X' }] },
              { id: 'b', type: 'text', label: 'B', required: true },
            ],
          }),
        )
        .expect(400);
      expect(fieldsOf(bad)).toContain('questions.1.type');
      const res = await staff
        .auth(t.http.post(url()))
        .send(
          surveyBody({
            questions: [
              { id: 'a', type: 'single_choice', label: 'A', required: true, options: [{ code: 'x', label: 'X' }] },
              { id: 'b', type: 'short_text', label: 'B', required: true, showIf: { question: 'c', anyOf: ['x'] } },
            ],
            audience: { kind: 'panel', panelId: '00000000-0000-4000-8000-000000000000' },
            closesAt: new Date(Date.now() - DAY).toISOString(),
          }),
        )
        .expect(422);
      expect(res.body.code).toBe('INVALID_SURVEY');
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['questions.0.options', 'questions.1.showIf.question', 'closesAt', 'audience.panelId']));
      const unknown = await staff.auth(t.http.post(url())).send({ ...surveyBody(), sneaky: 1 }).expect(400);
      expect(unknown.body.statusCode).toBe(400);
      await t.http.get('/api/v1/surveys/not-a-uuid').expect(404);
    });
  });

  describe('answering an identified survey of the residents', () => {
    let survey: { id: string };
    let alice: Session;
    let bob: Session;

    beforeAll(async () => {
      survey = await createSurvey(t.http, staff, town.slug, { resultsPublic: true });
      alice = await residentOf(t.http, town, staff);
      bob = await residentOf(t.http, town, staff);
    });

    it('saves a partial response, gives it back, and takes the submission once complete', async () => {
      const url = `/api/v1/surveys/${survey.id}/response`;
      await alice.auth(t.http.get(url)).expect(404);
      const saved = await alice.auth(t.http.put(url)).send({ answers: { q1: 'often' } }).expect(200);
      expect(saved.body).toEqual({ surveyId: survey.id, anonymous: false, answers: { q1: 'often' }, submitted: false });
      expect((await alice.auth(t.http.get(url)).expect(200)).body.answers).toEqual({ q1: 'often' });
      const incomplete = await alice.auth(t.http.put(url)).send({ answers: { q1: 'often', q2: 'yes' }, submit: true }).expect(422);
      expect(incomplete.body.code).toBe('INVALID_SURVEY_ANSWERS');
      expect(incomplete.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'answers.q3', code: 'ANSWER_REQUIRED' }), expect.objectContaining({ field: 'answers.q4' })]));
      await alice.auth(t.http.put(url)).send({ answers: fullAnswers(), submit: true }).expect(200);
      // Editable until the close, one response per person: this replaces it.
      const edited = await alice.auth(t.http.put(url)).send({ answers: fullAnswers({ q4: 9, q6: 'More lanes please' }) }).expect(200);
      expect(edited.body.submitted).toBe(true);
      // A submitted response stays complete.
      await alice.auth(t.http.put(url)).send({ answers: { q1: 'often' } }).expect(422);
      const rows = await db.query(`SELECT count(*)::int AS n FROM survey_responses WHERE survey_id = $1`, [survey.id]);
      expect(rows[0].n).toBe(1);
    });

    it('answers 422 naming the question for a wrong answer, an unknown question or one a condition hides', async () => {
      const url = `/api/v1/surveys/${survey.id}/response`;
      const res = await bob.auth(t.http.put(url)).send({ answers: { q1: 'sometimes', q2: 'no', q3: ['gare'], q4: 11, q5: ['bikes', 'bikes'], zz: 'x' } }).expect(422);
      expect(res.body.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual([
        'answers.q1:INVALID_ANSWER',
        'answers.q3:QUESTION_NOT_SHOWN',
        'answers.q4:INVALID_ANSWER',
        'answers.q5:INVALID_ANSWER',
        'answers.zz:UNKNOWN_QUESTION',
      ]);
      expect(res.body.message).toBeTruthy();
      const tooMany = await bob.auth(t.http.put(url)).send({ answers: { q2: 'yes', q3: ['gare', 'paix', 'quai'] } }).expect(422);
      expect(tooMany.body.details[0]).toMatchObject({ field: 'answers.q3', code: 'INVALID_ANSWER' });
      for (const answers of [{ q6: 'x'.repeat(5001) }, { q4: '7' }, { q4: 7.5 }, { q1: { $ne: 1 } }, { q5: 'bikes' }, { q6: '' }]) {
        await bob.auth(t.http.put(url)).send({ answers }).expect(422);
      }
      for (const body of [{ answers: 'x' }, { answers: [] }, { answers: {}, extra: 1 }, { answers: {}, home: { lng: 500, lat: 0 } }, {}]) {
        await bob.auth(t.http.put(url)).send(body).expect(400);
      }
      await bob.auth(t.http.put(url)).send({ answers: fullAnswers({ q2: 'no', q3: undefined, q4: 2, q5: ['parking'] }), submit: true }).expect(200);
    });

    it('lets only verified residents of the town answer: 401 anonymous or erased, 403 a citizen or another town’s staff', async () => {
      const url = `/api/v1/surveys/${survey.id}/response`;
      await t.http.put(url).send({ answers: {} }).expect(401);
      await erased.auth(t.http.put(url)).send({ answers: {} }).expect(401);
      const refused = await citizen.auth(t.http.put(url)).send({ answers: {} }).expect(403);
      expect(refused.body.code).toBe('SURVEY_NOT_TARGETED');
      await otherStaff.auth(t.http.put(url)).send({ answers: {} }).expect(403);
    });

    it('shows results to the staff only while open: counts, percentages, mean, Borda, texts; CSV with respondents', async () => {
      await t.http.get(`/api/v1/surveys/${survey.id}/results`).expect(403);
      await citizen.auth(t.http.get(`/api/v1/surveys/${survey.id}/results`)).expect(403);
      await otherStaff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results`)).expect(403);
      const res = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results`)).expect(200);
      expect(res.body.responses).toBe(2);
      const byId = Object.fromEntries(res.body.questions.map((q: { id: string }) => [q.id, q]));
      expect(byId.q2.options).toEqual([
        { code: 'yes', label: 'Yes', count: 1, percent: 50 },
        { code: 'no', label: 'No', count: 1, percent: 50 },
      ]);
      expect(byId.q3.answered).toBe(1);
      expect(byId.q4.scale.mean).toBe(5.5);
      expect(byId.q4.scale.distribution).toHaveLength(11);
      // Borda, 3 options: alice bikes 2, trees 1; bob parking 2.
      expect(byId.q5.ranking.borda.map((b: { code: string; points: number }) => [b.code, b.points])).toEqual([['trees', 1], ['bikes', 2], ['parking', 2]]);
      expect(byId.q5.ranking.firstChoice.map((b: { count: number }) => b.count)).toEqual([0, 1, 1]);
      expect(byId.q6.texts).toEqual(['More lanes please']);
      const cross = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results?by=gender`)).expect(400);
      expect(fieldsOf(cross)).toEqual(['by']);

      const csv = await staff.auth(t.http.get(`/api/v1/surveys/${survey.id}/results.csv`)).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const table = parse(csv.text.replace(/^\uFEFF/, '')) as string[][];
      expect(table[0]).toEqual(['respondent', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
      expect(table.slice(1).map((r) => r[0]).sort()).toEqual([alice.user.id, bob.user.id].sort());
      expect(table.find((r) => r[0] === alice.user.id)!.slice(5)).toEqual(['bikes > trees', 'More lanes please']);
    });

    it('closes (staff only), then refuses answers (409) and publishes the results it says are public', async () => {
      await citizen.auth(t.http.post(`/api/v1/surveys/${survey.id}/close`)).expect(403);
      await otherStaff.auth(t.http.post(`/api/v1/surveys/${survey.id}/close`)).expect(403);
      const closed = await staff.auth(t.http.post(`/api/v1/surveys/${survey.id}/close`)).expect(200);
      expect(closed.body.state).toBe('closed');
      const late = await alice.auth(t.http.put(`/api/v1/surveys/${survey.id}/response`)).send({ answers: fullAnswers() }).expect(409);
      expect(late.body.code).toBe('SURVEY_CLOSED');
      const pub = await t.http.get(`/api/v1/surveys/${survey.id}/results`).expect(200);
      expect(pub.body).toMatchObject({ state: 'closed', responses: 2 });
      await t.http.get(`/api/v1/surveys/${survey.id}/results.csv`).expect(200);
    });

    it('keeps one response per person when the same person submits from several devices at once', async () => {
      for (const anonymous of [false, true]) {
        const s = await createSurvey(t.http, staff, town.slug, { anonymous });
        const me = await residentOf(t.http, town, staff);
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => me.auth(t.http.put(`/api/v1/surveys/${s.id}/response`)).send({ answers: fullAnswers({ q4: i }), submit: true })));
        expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
        const table = anonymous ? 'survey_sealed_responses' : 'survey_responses';
        expect((await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE survey_id = $1`, [s.id]))[0].n).toBe(1);
        expect(await db.query(`SELECT submitted FROM survey_participations WHERE survey_id = $1`, [s.id])).toEqual([{ submitted: true }]);
        expect((await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1 AND type = 'surveys.response_submitted'`, [s.id]))[0].n).toBe(1);
      }
    });

    it('refuses answers before the opening (409)', async () => {
      const later = await createSurvey(t.http, staff, town.slug, { opensAt: new Date(Date.now() + DAY).toISOString(), closesAt: new Date(Date.now() + 2 * DAY).toISOString() });
      const res = await alice.auth(t.http.put(`/api/v1/surveys/${later.id}/response`)).send({ answers: {} }).expect(409);
      expect(res.body.code).toBe('SURVEY_NOT_OPEN');
    });

    it('neutralises formulas in the CSV', async () => {
      const s = await createSurvey(t.http, staff, town.slug);
      await alice.auth(t.http.put(`/api/v1/surveys/${s.id}/response`)).send({ answers: fullAnswers({ q6: '=HYPERLINK("http://evil")' }), submit: true }).expect(200);
      const csv = await staff.auth(t.http.get(`/api/v1/surveys/${s.id}/results.csv`)).expect(200);
      const table = parse(csv.text.replace(/^\uFEFF/, '')) as string[][];
      expect(table[1][6]).toBe('\'=HYPERLINK("http://evil")');
    });
  });

  describe('district surveys', () => {
    it('lets a resident of the district answer: as residency records it, else by the home they give (not stored); 403 otherwise', async () => {
      const [lng, lat] = town.center;
      const west = { type: 'Polygon', coordinates: [[[lng - 0.009, lat - 0.009], [lng, lat - 0.009], [lng, lat + 0.009], [lng - 0.009, lat + 0.009], [lng - 0.009, lat - 0.009]]] };
      const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
      const district = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`)).send({ code: `W${Date.now() % 100000}`, nameFr: 'Ouest', nameEn: 'West', boundary: west }).expect(201);
      const s = await createSurvey(t.http, staff, town.slug, { audience: { kind: 'residents', districtId: district.body.id } });
      const url = `/api/v1/surveys/${s.id}/response`;
      const eastern = await residentOf(t.http, town, staff);
      await eastern.auth(t.http.put(url)).send({ answers: {}, home: { lng: lng + 0.005, lat } }).expect(403);
      await eastern.auth(t.http.put(url)).send({ answers: {} }).expect(403);
      const western = await residentOf(t.http, town, staff);
      await western.auth(t.http.put(url)).send({ answers: { q1: 'never' }, home: { lng: lng - 0.005, lat } }).expect(200);
      await western.auth(t.http.put(url)).send({ answers: fullAnswers(), submit: true }).expect(200);
      // What residency records decides when it records a district: no statement needed, none accepted against it.
      const recorded = await createSession(t.http);
      await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${recorded.user.id}`)).send({ districtId: district.body.id }).expect(201);
      await recorded.auth(t.http.put(url)).send({ answers: { q1: 'often' } }).expect(200);
      const east = { type: 'Polygon', coordinates: [[[lng, lat - 0.009], [lng + 0.009, lat - 0.009], [lng + 0.009, lat + 0.009], [lng, lat + 0.009], [lng, lat - 0.009]]] };
      const eastDistrict = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`)).send({ code: `E${Date.now() % 100000}`, nameFr: 'Est', nameEn: 'East', boundary: east }).expect(201);
      const elsewhere = await createSession(t.http);
      await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${elsewhere.user.id}`)).send({ districtId: eastDistrict.body.id }).expect(201);
      await elsewhere.auth(t.http.put(url)).send({ answers: {}, home: { lng: lng - 0.005, lat } }).expect(403);
      const stored = JSON.stringify(await db.query(`SELECT * FROM survey_responses WHERE survey_id = $1`, [s.id]));
      expect(stored).not.toContain(String(lng - 0.005));
      const bad = await staff.auth(t.http.post(`/api/v1/municipalities/${town.slug}/surveys`)).send(surveyBody({ audience: { kind: 'residents', districtId: '00000000-0000-4000-8000-000000000000' } })).expect(422);
      expect(fieldsOf(bad)).toEqual(['audience.districtId']);
    });
  });

  describe('GDPR', () => {
    it('exports identified responses and participations; erasure keeps the answers without their author', async () => {
      const s = await createSurvey(t.http, staff, town.slug);
      const anon = await createSurvey(t.http, staff, town.slug, { anonymous: true });
      const me = await residentOf(t.http, town, staff);
      await me.auth(t.http.put(`/api/v1/surveys/${s.id}/response`)).send({ answers: fullAnswers({ q6: 'my words' }), submit: true }).expect(200);
      await me.auth(t.http.put(`/api/v1/surveys/${anon.id}/response`)).send({ answers: { q1: 'never' } }).expect(200);
      const exported = await me.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(exported.body.sections.surveys.identifiedResponses).toEqual([expect.objectContaining({ surveyId: s.id, answers: expect.objectContaining({ q6: 'my words' }), submitted: true })]);
      expect(exported.body.sections.surveys.participations.map((p: { surveyId: string }) => p.surveyId).sort()).toEqual([s.id, anon.id].sort());
      expect(JSON.stringify(exported.body.sections.surveys)).not.toContain('never');
      await me.auth(t.http.delete('/api/v1/me')).send({ password: me.user.password }).expect(204);
      expect(await db.query(`SELECT user_id, answers->>'q6' AS q6 FROM survey_responses WHERE survey_id = $1`, [s.id])).toEqual([{ user_id: null, q6: 'my words' }]);
      expect(await db.query(`SELECT * FROM survey_participations WHERE user_id = $1`, [me.user.id])).toEqual([]);
      // Their unsubmitted anonymous draft is gone too.
      expect(await db.query(`SELECT * FROM survey_sealed_responses WHERE survey_id = $1`, [anon.id])).toEqual([]);
      const results = await staff.auth(t.http.get(`/api/v1/surveys/${s.id}/results`)).expect(200);
      expect(results.body.responses).toBe(1);
    });
  });
});
