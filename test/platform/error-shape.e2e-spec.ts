import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession } from '../utils/sessions';
import { LiveClient } from '../realtime/live-client';

/**
 * One error body everywhere, `{statusCode, error, code, message, details: [...], meta?}`, with
 * messages in the caller's language: Accept-Language first, else the person's saved locale.
 */
describe('error shape and languages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('names a bad UUID path parameter, in English', async () => {
    const res = await t.http.get('/api/v1/reports/not-a-uuid').set('Accept-Language', 'en-GB,en;q=0.9').expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Invalid id',
      details: [{ field: 'id', code: 'IS_UUID', message: 'id must be a UUID' }],
    });
    expect(res.headers['content-language']).toBe('en');
  });

  it('names a bad UUID path parameter, in French', async () => {
    const res = await t.http.get('/api/v1/reports/not-a-uuid').set('Accept-Language', 'fr-FR,fr;q=0.9,en;q=0.5').expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Requête invalide : id',
      details: [{ field: 'id', code: 'IS_UUID', message: 'id doit être un UUID' }],
    });
    expect(res.headers['content-language']).toBe('fr');
  });

  it('turns DTO constraints into field codes with their arguments, in both languages', async () => {
    const s = await createSession(t.http);
    const body = { displayName: 'x'.repeat(81), locale: 'de' };
    const en = await s.auth(t.http.patch('/api/v1/me')).set('Accept-Language', 'en').send(body).expect(400);
    expect(en.body.details).toEqual(
      expect.arrayContaining([
        { field: 'displayName', code: 'MAX_LENGTH', message: 'displayName must be at most 80 characters' },
        { field: 'locale', code: 'IS_IN', message: 'locale must be one of: fr, en' },
      ]),
    );
    const fr = await s.auth(t.http.patch('/api/v1/me')).set('Accept-Language', 'fr').send(body).expect(400);
    expect(fr.body.details).toEqual(
      expect.arrayContaining([
        { field: 'displayName', code: 'MAX_LENGTH', message: 'displayName doit compter au plus 80 caractères' },
        { field: 'locale', code: 'IS_IN', message: "locale doit valoir l'une de ces valeurs : fr, en" },
      ]),
    );
    const unknown = await s.auth(t.http.patch('/api/v1/me')).set('Accept-Language', 'en').send({ nickname: 'Cam' }).expect(400);
    expect(unknown.body.details).toEqual([{ field: 'nickname', code: 'UNKNOWN_FIELD', message: 'nickname is not a known field' }]);
  });

  it("answers a signed-in person in their saved locale when the request names no language", async () => {
    const french = await createSession(t.http, { locale: 'fr' });
    const res = await french.auth(t.http.get('/api/v1/reports/00000000-0000-4000-8000-000000000000')).expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'REPORT_NOT_FOUND', message: 'Signalement introuvable', details: [] });
    const english = await createSession(t.http, { locale: 'en' });
    const inEnglish = await english.auth(t.http.get('/api/v1/reports/00000000-0000-4000-8000-000000000000')).expect(404);
    expect(inEnglish.body.message).toBe('Report not found');
    const asked = await french.auth(t.http.get('/api/v1/reports/00000000-0000-4000-8000-000000000000')).set('Accept-Language', 'en').expect(404);
    expect(asked.body.message).toBe('Report not found');
  });

  it('gives every error an empty details array when no field is at fault', async () => {
    const missing = await t.http.get('/api/v1/no-such-route').set('Accept-Language', 'fr').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Introuvable', details: [] });
    const anonymous = await t.http.get('/api/v1/me').expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, code: expect.any(String), details: [] });
    const badLogin = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'fr').send({ email: 'nobody@test.local', password: 'wrong-password-123' }).expect(401);
    expect(badLogin.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'INVALID_CREDENTIALS', message: 'Adresse e-mail ou mot de passe incorrect', details: [] });
  });
});

describe('socket errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(() => t.close());

  it('refuse a command with the HTTP error shape, in the language of the handshake', async () => {
    const french = await LiveClient.connect(t.url!, undefined, { locale: 'fr' });
    const english = await LiveClient.connect(t.url!);
    try {
      const fr = await french.subscribe('not a topic!');
      expect(fr).toEqual({ ok: false, error: { code: 'TOPIC_INVALID', message: expect.stringMatching(/^Ce n'est pas un sujet valide/), details: [] } });
      const en = await english.subscribe('not a topic!');
      expect(en).toEqual({ ok: false, error: { code: 'TOPIC_INVALID', message: expect.stringMatching(/is not a topic/), details: [] } });
    } finally {
      french.socket.close();
      english.socket.close();
    }
  });
});

