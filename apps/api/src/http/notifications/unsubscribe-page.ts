import type { UnsubscribeClaim } from '@app/notifications';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page the unsubscribe link opens, in both languages (the link carries no locale). */
export function unsubscribedPage(claim: UnsubscribeClaim): string {
  const all = claim.type === '*';
  const fr = all ? 'Vous ne recevrez plus de notifications par e-mail.' : `Vous ne recevrez plus d’e-mails pour « ${escape(claim.type)} ».`;
  const en = all ? 'You will no longer receive notification emails.' : `You will no longer receive emails for "${escape(claim.type)}".`;
  return [
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Désinscription / Unsubscribed</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; margin: 2em auto; padding: 0 1em">',
    `<h1>Désinscription confirmée</h1><p lang="fr">${fr} Vous pouvez changer d’avis dans vos préférences de notification.</p>`,
    `<h1>Unsubscribed</h1><p lang="en">${en} You can change your mind in your notification preferences.</p>`,
    '</body></html>',
  ].join('\n');
}
