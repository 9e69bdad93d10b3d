import { escapeHtml, renderPasswordResetMail, renderVerificationMail } from './identity-mails';

describe('identity mails', () => {
  const link = 'https://civic.example/verify-email?token=abc_DEF-123';

  it('renders the verification mail in French', () => {
    const mail = renderVerificationMail({ locale: 'fr', displayName: 'Camille', link, validHours: 48 });
    expect(mail.subject).toBe('Confirmez votre adresse e-mail');
    expect(mail.text).toContain('Bonjour Camille,');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('48 heures');
    expect(mail.html).toContain(`href="${link}"`);
  });

  it('renders the reset mail in English, with a singular hour', () => {
    const mail = renderPasswordResetMail({ locale: 'en', displayName: 'Sam', link, validHours: 1 });
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text).toContain('Hello Sam,');
    expect(mail.text).toContain('1 hour and only once');
  });

  it('never lets a display name become markup', () => {
    const mail = renderVerificationMail({ locale: 'en', displayName: '<script>alert(1)</script>', link, validHours: 48 });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(escapeHtml(`"&'`)).toBe('&quot;&amp;&#39;');
  });
});
