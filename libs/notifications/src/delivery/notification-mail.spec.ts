import { renderDigestMail, renderNotificationMail, unsubscribeHeaders } from './notification-mail';

const n = { title: 'Report #12 is resolved', body: 'Thank you <b>all</b>', path: '/reports/x', url: 'https://civic.example/reports/x' };

describe('notification mails', () => {
  it('words a notification in the recipient language with the municipality name and the unsubscribe link', () => {
    const frame = { locale: 'fr' as const, displayName: 'Ada', municipalityName: 'Lille', unsubscribeUrl: 'https://civic.example/u?token=abc' };
    const mail = renderNotificationMail(n, frame);
    expect(mail.subject).toBe('Lille · Report #12 is resolved');
    expect(mail.text).toContain('Bonjour Ada,');
    expect(mail.text).toContain('Lille — Plateforme citoyenne');
    expect(mail.text).toContain('Ne plus recevoir ces e-mails: https://civic.example/u?token=abc');
    expect(mail.html).toContain('Thank you &lt;b&gt;all&lt;/b&gt;');
    expect(renderNotificationMail(n, { ...frame, locale: 'en' }).text).toContain('Stop these emails: https://civic.example/u?token=abc');
  });

  it('gathers several notifications in one digest', () => {
    const frame = { locale: 'en' as const, displayName: 'Ada', municipalityName: 'Lille', unsubscribeUrl: 'https://civic.example/u?token=abc' };
    const mail = renderDigestMail(
      [
        { ...n, municipalityName: 'Lille' },
        { ...n, title: 'Another', municipalityName: 'Roubaix' },
      ],
      frame,
    );
    expect(mail.subject).toBe('Lille · Your daily summary: 2 notifications');
    expect(mail.text).toContain('* Report #12 is resolved');
    expect(mail.text).toContain('* [Roubaix] Another');
  });

  it('asks for one-click unsubscribe (RFC 8058)', () => {
    expect(unsubscribeHeaders('https://x/u?token=t')).toMatchObject({
      'List-Unsubscribe': '<https://x/u?token=t>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
