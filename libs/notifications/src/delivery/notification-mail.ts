import type { Locale } from '@app/identity';
import type { RenderedNotification } from '../rules/notification-rule';

export interface NotificationMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailFrame {
  locale: Locale;
  displayName: string;
  /** The municipality the notification comes from; null for platform-wide ones. */
  municipalityName: string | null;
  /** Null for a contact without an account: there are no preferences to turn off, the mail says why it came. */
  unsubscribeUrl: string | null;
}

export interface DigestItem extends RenderedNotification {
  url: string;
  municipalityName: string | null;
}

interface Wording {
  platform: string;
  greeting: (name: string) => string;
  open: string;
  why: string;
  stop: string;
  digestSubject: (n: number) => string;
  digestIntro: (n: number) => string;
  digestWhy: string;
  digestStop: string;
  contactWhy: string;
}

const WORDING: Record<Locale, Wording> = {
  fr: {
    platform: 'Plateforme citoyenne',
    greeting: (name) => `Bonjour ${name},`,
    open: 'Voir',
    why: 'Vous recevez ce message car vous suivez ce type de notification.',
    stop: 'Ne plus recevoir ces e-mails',
    digestSubject: (n) => (n === 1 ? 'Votre résumé du jour : 1 notification' : `Votre résumé du jour : ${n} notifications`),
    digestIntro: (n) => (n === 1 ? 'Voici ce qui s’est passé depuis hier :' : `Voici les ${n} nouvelles depuis hier :`),
    digestWhy: 'Vous recevez ce résumé quotidien car vous l’avez choisi dans vos préférences.',
    digestStop: 'Ne plus recevoir de notifications par e-mail',
    contactWhy: 'Vous recevez ce message car la commune a enregistré ce signalement pour vous. Pour ne plus en recevoir, répondez-lui ou contactez-la.',
  },
  en: {
    platform: 'Civic platform',
    greeting: (name) => `Hello ${name},`,
    open: 'Open',
    why: 'You receive this because you are notified of this kind of event.',
    stop: 'Stop these emails',
    digestSubject: (n) => (n === 1 ? 'Your daily summary: 1 notification' : `Your daily summary: ${n} notifications`),
    digestIntro: (n) => (n === 1 ? 'Here is what happened since yesterday:' : `Here are the ${n} updates since yesterday:`),
    digestWhy: 'You receive this daily summary because you chose it in your preferences.',
    digestStop: 'Stop all notification emails',
    contactWhy: 'You receive this because the town filed this report for you. To stop, reply or contact the town.',
  },
};

const wording = (locale: Locale): Wording => WORDING[locale] ?? WORDING.fr;

/** Names the sender in the subject, as people sort their mail by it. */
const subjectOf = (municipalityName: string | null, title: string) => (municipalityName ? `${municipalityName} · ${title}` : title);

/** One notification as an email, in the recipient's language, signed by its municipality. */
export function renderNotificationMail(n: RenderedNotification & { url: string }, frame: MailFrame): NotificationMail {
  const w = wording(frame.locale);
  const signature = frame.municipalityName ? `${frame.municipalityName} — ${w.platform}` : w.platform;
  const footer = frame.unsubscribeUrl ? [w.why, `${w.stop}: ${frame.unsubscribeUrl}`] : [w.contactWhy];
  const text = [w.greeting(frame.displayName), '', n.title, '', n.body, '', `${w.open}: ${n.url}`, '', '-- ', signature, ...footer, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(w.greeting(frame.displayName))}</p>`,
    `<p><strong>${escapeHtml(n.title)}</strong></p>`,
    `<p>${escapeHtml(n.body)}</p>`,
    `<p><a href="${escapeHtml(n.url)}">${escapeHtml(w.open)}</a></p>`,
    frame.unsubscribeUrl
      ? `<hr><p style="color: #666; font-size: 0.9em">${escapeHtml(signature)}<br>${escapeHtml(w.why)}<br><a href="${escapeHtml(frame.unsubscribeUrl)}">${escapeHtml(w.stop)}</a></p>`
      : `<hr><p style="color: #666; font-size: 0.9em">${escapeHtml(signature)}<br>${escapeHtml(w.contactWhy)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: subjectOf(frame.municipalityName, n.title), text, html };
}

/** Several notifications in one daily mail. */
export function renderDigestMail(items: DigestItem[], frame: MailFrame): NotificationMail {
  const w = wording(frame.locale);
  const signature = frame.municipalityName ? `${frame.municipalityName} — ${w.platform}` : w.platform;
  const lines = items.flatMap((item) => [
    `* ${item.municipalityName && item.municipalityName !== frame.municipalityName ? `[${item.municipalityName}] ` : ''}${item.title}`,
    ...(item.body ? [`  ${item.body}`] : []),
    `  ${item.url}`,
    '',
  ]);
  const text = [w.greeting(frame.displayName), '', w.digestIntro(items.length), '', ...lines, '-- ', signature, w.digestWhy, `${w.digestStop}: ${frame.unsubscribeUrl}`, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(w.greeting(frame.displayName))}</p>`,
    `<p>${escapeHtml(w.digestIntro(items.length))}</p>`,
    '<ul>',
    ...items.map(
      (item) =>
        `<li><a href="${escapeHtml(item.url)}"><strong>${escapeHtml(item.title)}</strong></a>${item.municipalityName ? ` <small>(${escapeHtml(item.municipalityName)})</small>` : ''}<br>${escapeHtml(item.body)}</li>`,
    ),
    '</ul>',
    `<hr><p style="color: #666; font-size: 0.9em">${escapeHtml(signature)}<br>${escapeHtml(w.digestWhy)}<br>`,
    `<a href="${escapeHtml(frame.unsubscribeUrl ?? '')}">${escapeHtml(w.digestStop)}</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: subjectOf(frame.municipalityName, w.digestSubject(items.length)), text, html };
}

/** Names, messages and titles are user input: never let them turn into markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** RFC 2369 / RFC 8058 headers: mail clients show an "unsubscribe" button that POSTs the link. */
export function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
  };
}
