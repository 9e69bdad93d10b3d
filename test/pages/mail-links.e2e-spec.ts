import { randomUUID } from 'node:crypto';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, login, platformAdminSession, registerUser, Session, TEST_PASSWORD } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';

jest.setTimeout(90_000);

/**
 * Every link the product mails resolves: each is taken from a mail the real worker sent to a real
 * SMTP capture, and followed as a browser would.
 */
describe('links in mails lead to pages', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  const smtp = new SmtpCapture();
  let admin: Session;
  let staff: Session;
  let town: TestMunicipality;
  let categoryCode: string;

  beforeAll(async () => {
    env = await isolatedEnv('mail_links', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: `Lienville ${randomUUID().slice(0, 6)}` });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    categoryCode = (await createCategory(t.http, admin.accessToken, town.slug)).code;
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  /** The link of `path` in a mail, as a path and query to follow on the app; it must start with PUBLIC_URL. */
  const linkIn = (mail: CapturedMail, path: string): string => {
    const found = new RegExp(`https?://[^\\s"<>]+${path.replace(/[/?]/g, '\\$&')}[^\\s"<>]*`).exec(mail.text);
    if (!found) throw new Error(`No ${path} link in mail: ${mail.text}`);
    expect(found[0].startsWith(`${t.config.publicUrl}${path}`)).toBe(true);
    const url = new URL(found[0]);
    return `${url.pathname}${url.search}`;
  };
  const hiddenInput = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];
  const expectHtml = (res: { headers: Record<string, string>; text: string }) => {
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.text).toMatch(/^<!doctype html>/);
    // The CSP allows no inline script outside Swagger: these pages have none at all.
    expect(res.text).not.toMatch(/<script/i);
  };

  describe('/verify-email', () => {
    it('the link of the sign-up mail verifies the address and says so; used again, it says it no longer works', async () => {
      const user = await registerUser(t.http, { locale: 'fr' });
      const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.text.includes('/verify-email'));
      const link = linkIn(mail, '/verify-email?token=');
      const { accessToken } = await login(t.http, user.email, user.password);
      expect((await t.http.get('/api/v1/me').set('Authorization', `Bearer ${accessToken}`).expect(200)).body.emailVerified).toBe(false);

      const res = await t.http.get(link).set('Accept-Language', 'fr-FR,fr;q=0.9').expect(200);
      expectHtml(res);
      expect(res.text).toContain('<html lang="fr">');
      expect(res.text).toContain('Adresse e-mail confirmée');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await t.http.get('/api/v1/me').set('Authorization', `Bearer ${accessToken}`).expect(200)).body.emailVerified).toBe(true);

      const again = await t.http.get(link).set('Accept-Language', 'en').expect(400);
      expectHtml(again);
      expect(again.text).toContain('Invalid or expired link');
    });

    it('a mangled link answers an HTML page, never JSON', async () => {
      expectHtml(await t.http.get('/verify-email').expect(400));
      expectHtml(await t.http.get('/verify-email?token=not-a-real-token').expect(400));
      expectHtml(await t.http.get(`/verify-email?token=${'x'.repeat(600)}`).expect(400));
      expectHtml(await t.http.get('/verify-email?token=a&other=1').expect(400));
    });
  });

  describe('/reset-password', () => {
    it('the link of the reset mail opens a form that posts the new password; errors come back on the form', async () => {
      const user = await registerUser(t.http);
      await t.http.post('/api/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.text.includes('/reset-password'));
      const link = linkIn(mail, '/reset-password?token=');

      const form = await t.http.get(link).set('Accept-Language', 'en-US').expect(200);
      expectHtml(form);
      expect(form.text).toContain('<form method="post" action="/reset-password">');
      expect(form.text).toContain('Choose a new password');
      const token = hiddenInput(form.text, 'token')!;
      expect(link).toContain(encodeURIComponent(token));
      const post = (fields: Record<string, string>) => t.http.post('/reset-password').type('form').set('Accept-Language', 'en').send(fields);

      const mismatch = await post({ token, password: 'Amber-harbour-violin-42', passwordConfirmation: 'Amber-harbour-violin-43' }).expect(400);
      expectHtml(mismatch);
      expect(mismatch.text).toContain('The two passwords differ.');
      expect(hiddenInput(mismatch.text, 'token')).toBe(token);
      const weak = await post({ token, password: 'password1234', passwordConfirmation: 'password1234' }).expect(400);
      expect(weak.text).toContain('The password was not saved');
      expect(weak.text).toContain('too easy to guess');
      const missing = await post({ token, password: 'Amber-harbour-violin-42' }).expect(400);
      expect(missing.text).toContain('Type the new password twice.');

      // The refusals left the link usable.
      const done = await post({ token, password: 'Amber-harbour-violin-42', passwordConfirmation: 'Amber-harbour-violin-42' }).expect(200);
      expectHtml(done);
      expect(done.text).toContain('Password changed');
      await login(t.http, user.email, 'Amber-harbour-violin-42');
      await t.http.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(401);

      const reused = await post({ token, password: 'Other-harbour-violin-42', passwordConfirmation: 'Other-harbour-violin-42' }).expect(400);
      expect(reused.text).toContain('Invalid or expired link');
    });

    it('escapes a hostile token into the form, and refuses unknown fields with an HTML page', async () => {
      const res = await t.http.get(`/reset-password?token=${encodeURIComponent('"><script>alert(1)</script>')}`).expect(200);
      expectHtml(res);
      expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expectHtml(await t.http.get('/reset-password').expect(400));
      expectHtml(await t.http.post('/reset-password').type('form').send({ token: 'x', password: 'a', evil: '1' }).expect(400));
      expectHtml(await t.http.post('/reset-password').type('form').send({}).expect(400));
    });
  });

  describe('/reports/:id', () => {
    it('the link of a notification mail opens the report’s public page, in the reader’s language', async () => {
      const reporter = await createSession(t.http, { displayName: 'Paula Public' });
      const report = await createReport(t.http, reporter.accessToken, town, categoryCode, {
        description: 'Bench broken <script>alert(1)</script> & "more"',
        address: '12 rue des Lilas',
        showName: true,
      });
      await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${report.version}"`).send({ status: 'acknowledged' }).expect(200);
      const mail = await smtp.waitFor((m) => m.to.includes(reporter.user.email) && Boolean(m.headers['list-unsubscribe']) && m.text.includes(`/reports/${report.id}`));
      const link = linkIn(mail, `/reports/${report.id}`);
      expect(link).toBe(`/reports/${report.id}`);

      const fr = await t.http.get(link).set('Accept-Language', 'fr').expect(200);
      expectHtml(fr);
      expect(fr.headers.vary).toContain('Accept-Language');
      expect(fr.text).toContain(`Signalement n°${report.number}`);
      expect(fr.text).toContain('Nid de poule');
      expect(fr.text).toContain('Pris en compte');
      expect(fr.text).toContain('12 rue des Lilas');
      expect(fr.text).toContain('Paula Public');
      expect(fr.text).toContain('Bench broken &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');

      const en = await t.http.get(link).set('Accept-Language', 'en-GB,en;q=0.8').expect(200);
      expect(en.text).toContain(`Report #${report.number}`);
      expect(en.text).toContain('Pothole');
      expect(en.text).toContain('Acknowledged');
    });

    it('respects name display and moderation: no name unless the reporter chose to show it, 404 for a hidden report', async () => {
      const reporter = await createSession(t.http, { displayName: 'Secret Sam' });
      for (const overrides of [{}, { anonymous: true }, { showName: false }]) {
        const unnamed = await createReport(t.http, reporter.accessToken, town, categoryCode, overrides);
        const page = await t.http.get(`/reports/${unnamed.id}`).expect(200);
        expect(page.text).not.toContain('Secret Sam');
      }

      const hidden = await createReport(t.http, reporter.accessToken, town, categoryCode);
      const flag = await staff.auth(t.http.post(`/api/v1/reports/${hidden.id}/flags`)).send({ reason: 'spam' }).expect(201);
      await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
      await t.http.get(`/api/v1/reports/${hidden.id}`).expect(404);
      const gone = await t.http.get(`/reports/${hidden.id}`).set('Accept-Language', 'en').expect(404);
      expectHtml(gone);
      expect(gone.text).toContain('Page not found');
      expect(gone.text).not.toContain('Street light');
    });

    it('answers 404 pages for unknown and malformed ids, and serves its stylesheet', async () => {
      expectHtml(await t.http.get(`/reports/${randomUUID()}`).expect(404));
      expectHtml(await t.http.get('/reports/not-a-uuid').expect(404));
      const css = await t.http.get('/pages/page.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
    });
  });
});
