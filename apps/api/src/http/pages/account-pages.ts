import { escapeHtml, htmlPage, PageLocale } from './page-layout';

/** The two token flows of the mails (verify the address, choose a new password), fr and en. */
const TEXTS = {
  fr: {
    verifiedTitle: 'Adresse e-mail confirmée',
    verifiedBody: 'Merci ! Votre adresse e-mail est confirmée. Vous pouvez fermer cette page et revenir à l’application.',
    invalidTitle: 'Lien invalide ou expiré',
    invalidVerify: 'Ce lien de confirmation n’est plus valable : il a déjà servi ou il a expiré. Depuis l’application, demandez un nouvel e-mail de confirmation.',
    invalidReset: 'Ce lien de réinitialisation n’est plus valable : il a déjà servi ou il a expiré. Demandez-en un nouveau depuis la page de connexion (« Mot de passe oublié »).',
    resetTitle: 'Choisissez un nouveau mot de passe',
    resetIntro: 'Au moins 10 caractères, difficile à deviner. Changer de mot de passe vous déconnecte de tous vos appareils.',
    password: 'Nouveau mot de passe',
    confirmation: 'Confirmez le nouveau mot de passe',
    submit: 'Enregistrer le mot de passe',
    refused: 'Le mot de passe n’a pas été enregistré :',
    mismatch: 'Les deux mots de passe ne sont pas identiques.',
    missing: 'Saisissez le nouveau mot de passe deux fois.',
    doneTitle: 'Mot de passe changé',
    doneBody: 'Votre mot de passe est changé. Connectez-vous avec le nouveau dans l’application ; vos autres appareils ont été déconnectés.',
  },
  en: {
    verifiedTitle: 'Email address confirmed',
    verifiedBody: 'Thank you! Your email address is confirmed. You can close this page and go back to the app.',
    invalidTitle: 'Invalid or expired link',
    invalidVerify: 'This confirmation link no longer works: it was used already or it expired. Ask for a new confirmation email from the app.',
    invalidReset: 'This reset link no longer works: it was used already or it expired. Ask for a new one from the sign-in page ("Forgot password").',
    resetTitle: 'Choose a new password',
    resetIntro: 'At least 10 characters, hard to guess. Changing your password signs you out on all your devices.',
    password: 'New password',
    confirmation: 'Confirm the new password',
    submit: 'Save the password',
    refused: 'The password was not saved:',
    mismatch: 'The two passwords differ.',
    missing: 'Type the new password twice.',
    doneTitle: 'Password changed',
    doneBody: 'Your password is changed. Sign in with the new one in the app; your other devices were signed out.',
  },
} as const;

export type ResetFormProblem = 'mismatch' | 'missing';

export function emailVerifiedPage(locale: PageLocale): string {
  const t = TEXTS[locale];
  return htmlPage(locale, t.verifiedTitle, `<h1>${t.verifiedTitle}</h1><p>${t.verifiedBody}</p>`);
}

export function invalidTokenPage(locale: PageLocale, flow: 'verify' | 'reset'): string {
  const t = TEXTS[locale];
  return htmlPage(locale, t.invalidTitle, `<h1>${t.invalidTitle}</h1><p>${flow === 'verify' ? t.invalidVerify : t.invalidReset}</p>`);
}

/**
 * The reset form: it posts (urlencoded) to the same path, which sets the password through the
 * same service as POST /api/v1/auth/reset-password. `problems` are our own (ResetFormProblem) or
 * the password policy's messages, shown as they come.
 */
export function resetPasswordFormPage(locale: PageLocale, token: string, problems: Array<ResetFormProblem | string> = []): string {
  const t = TEXTS[locale];
  const errors = problems.length
    ? `<div class="error" role="alert"><p>${t.refused}</p><ul>${problems
        .map((p) => `<li>${escapeHtml(p === 'mismatch' ? t.mismatch : p === 'missing' ? t.missing : p)}</li>`)
        .join('')}</ul></div>`
    : '';
  const form = [
    `<form method="post" action="/reset-password">`,
    `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
    `<label for="password">${t.password}</label>`,
    `<input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256">`,
    `<label for="passwordConfirmation">${t.confirmation}</label>`,
    `<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required minlength="10" maxlength="256">`,
    `<button type="submit">${t.submit}</button>`,
    `</form>`,
  ].join('\n');
  return htmlPage(locale, t.resetTitle, `<h1>${t.resetTitle}</h1><p>${t.resetIntro}</p>${errors}${form}`);
}

export function passwordChangedPage(locale: PageLocale): string {
  const t = TEXTS[locale];
  return htmlPage(locale, t.doneTitle, `<h1>${t.doneTitle}</h1><p>${t.doneBody}</p>`);
}

const ERRORS: Record<PageLocale, Record<'400' | '404' | '429' | '500', [string, string]>> = {
  fr: {
    '400': ['Lien incomplet', 'Ce lien est incomplet ou mal formé. Ouvrez-le tel qu’il figure dans l’e-mail.'],
    '404': ['Page introuvable', 'Cette page n’existe pas, ou plus.'],
    '429': ['Trop de tentatives', 'Trop de tentatives depuis votre connexion. Réessayez dans une minute.'],
    '500': ['Erreur', 'Une erreur est survenue de notre côté. Réessayez plus tard.'],
  },
  en: {
    '400': ['Incomplete link', 'This link is incomplete or malformed. Open it exactly as it appears in the email.'],
    '404': ['Page not found', 'This page does not exist, or no longer does.'],
    '429': ['Too many attempts', 'Too many attempts from your connection. Try again in a minute.'],
    '500': ['Error', 'Something went wrong on our side. Try again later.'],
  },
};

/** What any refusal of these routes looks like (see PagesExceptionFilter). */
export function errorPage(locale: PageLocale, status: number): string {
  const key = status === 404 || status === 429 ? String(status) : status >= 500 ? '500' : '400';
  const [title, text] = ERRORS[locale][key as keyof (typeof ERRORS)['fr']];
  return htmlPage(locale, title, `<h1>${title}</h1><p>${text}</p>`);
}
