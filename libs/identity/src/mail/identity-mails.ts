import type { Locale } from '../users/user.entity';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface AccountMailInput {
  locale: Locale;
  displayName: string;
  /** The full link, token included. */
  link: string;
  /** How long the link works, in hours. */
  validHours: number;
}

interface Wording {
  subject: string;
  greeting: (name: string) => string;
  body: string;
  action: string;
  expiry: (hours: number) => string;
  ignore: string;
  signature: string;
}

const hours = (locale: Locale, n: number): string =>
  locale === 'fr' ? (n === 1 ? '1 heure' : `${n} heures`) : n === 1 ? '1 hour' : `${n} hours`;

const VERIFY: Record<Locale, Wording> = {
  fr: {
    subject: 'Confirmez votre adresse e-mail',
    greeting: (name) => `Bonjour ${name},`,
    body: 'Merci de vous être inscrit·e. Pour confirmer votre adresse e-mail, ouvrez ce lien :',
    action: 'Confirmer mon adresse',
    expiry: (n) => `Ce lien est valable ${hours('fr', n)}.`,
    ignore: "Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message.",
    signature: "L'équipe de la plateforme citoyenne",
  },
  en: {
    subject: 'Confirm your email address',
    greeting: (name) => `Hello ${name},`,
    body: 'Thank you for signing up. To confirm your email address, open this link:',
    action: 'Confirm my address',
    expiry: (n) => `This link works for ${hours('en', n)}.`,
    ignore: 'If you did not sign up, ignore this message.',
    signature: 'The civic platform team',
  },
};

const RESET: Record<Locale, Wording> = {
  fr: {
    subject: 'Réinitialisez votre mot de passe',
    greeting: (name) => `Bonjour ${name},`,
    body: 'Vous avez demandé à changer votre mot de passe. Pour en choisir un nouveau, ouvrez ce lien :',
    action: 'Choisir un nouveau mot de passe',
    expiry: (n) => `Ce lien est valable ${hours('fr', n)} et ne fonctionne qu'une fois. Changer de mot de passe vous déconnecte de tous vos appareils.`,
    ignore: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
    signature: "L'équipe de la plateforme citoyenne",
  },
  en: {
    subject: 'Reset your password',
    greeting: (name) => `Hello ${name},`,
    body: 'You asked to change your password. To choose a new one, open this link:',
    action: 'Choose a new password',
    expiry: (n) => `This link works for ${hours('en', n)} and only once. Changing your password signs you out on all your devices.`,
    ignore: 'If you did not ask for this, ignore this message: your password stays as it is.',
    signature: 'The civic platform team',
  },
};

const CHANGE_EMAIL: Record<Locale, Wording> = {
  fr: {
    subject: 'Confirmez votre nouvelle adresse e-mail',
    greeting: (name) => `Bonjour ${name},`,
    body: 'Vous avez demandé que votre compte utilise désormais cette adresse. Pour le confirmer, ouvrez ce lien :',
    action: 'Utiliser cette adresse',
    expiry: (n) => `Ce lien est valable ${hours('fr', n)}. Votre compte garde son adresse actuelle tant qu'il n'est pas ouvert.`,
    ignore: "Si vous n'avez rien demandé, ignorez ce message : rien ne change.",
    signature: "L'équipe de la plateforme citoyenne",
  },
  en: {
    subject: 'Confirm your new email address',
    greeting: (name) => `Hello ${name},`,
    body: 'You asked for your account to use this address from now on. To confirm, open this link:',
    action: 'Use this address',
    expiry: (n) => `This link works for ${hours('en', n)}. Your account keeps its current address until it is opened.`,
    ignore: 'If you did not ask for this, ignore this message: nothing changes.',
    signature: 'The civic platform team',
  },
};

export interface EmailChangedNoticeInput {
  locale: Locale;
  displayName: string;
  /** The address the account moved to (shown masked). */
  newEmail: string;
}

const EMAIL_CHANGED: Record<Locale, { subject: string; greeting: (name: string) => string; body: (masked: string) => string; warning: string; signature: string }> = {
  fr: {
    subject: 'Votre adresse e-mail a changé',
    greeting: (name) => `Bonjour ${name},`,
    body: (masked) => `Votre compte utilise désormais l'adresse ${masked} : cette adresse-ci n'en recevra plus de messages.`,
    warning: "Si vous n'êtes pas à l'origine de ce changement, répondez à ce message ou contactez votre mairie sans attendre.",
    signature: "L'équipe de la plateforme citoyenne",
  },
  en: {
    subject: 'Your email address was changed',
    greeting: (name) => `Hello ${name},`,
    body: (masked) => `Your account now uses the address ${masked}: this address will no longer receive its messages.`,
    warning: 'If you did not make this change, reply to this message or contact your town hall at once.',
    signature: 'The civic platform team',
  },
};

/** `camille.new@example.org` → `c***@example.org`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

export function renderEmailChangeMail(input: AccountMailInput): RenderedMail {
  return render(CHANGE_EMAIL[input.locale] ?? CHANGE_EMAIL.fr, input);
}

/** Told to the old address once the account has moved; no link, nothing to click. */
export function renderEmailChangedNotice(input: EmailChangedNoticeInput): RenderedMail {
  const w = EMAIL_CHANGED[input.locale] ?? EMAIL_CHANGED.fr;
  const lines = [w.greeting(input.displayName), w.body(maskEmail(input.newEmail)), w.warning];
  const text = [...lines.flatMap((l) => [l, '']), '-- ', w.signature, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    ...[...lines, w.signature].map((l) => `<p>${escapeHtml(l)}</p>`),
    '</body></html>',
  ].join('\n');
  return { subject: w.subject, text, html };
}

export function renderVerificationMail(input: AccountMailInput): RenderedMail {
  return render(VERIFY[input.locale] ?? VERIFY.fr, input);
}

export function renderPasswordResetMail(input: AccountMailInput): RenderedMail {
  return render(RESET[input.locale] ?? RESET.fr, input);
}

function render(w: Wording, input: AccountMailInput): RenderedMail {
  const greeting = w.greeting(input.displayName);
  const expiry = w.expiry(input.validHours);
  const text = [greeting, '', w.body, '', input.link, '', expiry, '', w.ignore, '', '-- ', w.signature, ''].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(w.body)}</p>`,
    `<p><a href="${escapeHtml(input.link)}">${escapeHtml(w.action)}</a></p>`,
    `<p>${escapeHtml(expiry)}</p>`,
    `<p>${escapeHtml(w.ignore)}</p>`,
    `<p>${escapeHtml(w.signature)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: w.subject, text, html };
}

/** Display names are user input: never let them turn into markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
