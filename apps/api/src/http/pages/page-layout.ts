/**
 * The small HTML pages the API serves for the links it mails, until the web app takes them
 * over: no script at all (the CSP forbids inline scripts outside Swagger), one stylesheet of our
 * own, and every value escaped.
 */
export type PageLocale = 'fr' | 'en';

export const PAGE_STYLESHEET_PATH = '/pages/page.css';

export const PAGE_STYLESHEET = `
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40em; margin: 2em auto; padding: 0 1em; color: #1d1d1f; }
h1 { font-size: 1.5em; }
.status { display: inline-block; padding: 0.1em 0.6em; border-radius: 1em; background: #eef; }
.error { color: #a00; }
label { display: block; margin-top: 1em; }
input[type=password] { width: 100%; max-width: 24em; padding: 0.4em; font-size: 1em; }
button { margin-top: 1em; padding: 0.5em 1.2em; font-size: 1em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; }
dt { font-weight: bold; }
.description { white-space: pre-wrap; }
img { max-width: 12em; margin: 0.3em; }
`.trim();

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * The page's language from Accept-Language: the first of fr and en by preference (q), French
 * when neither is asked for (the platform's towns are French).
 */
export function pageLocale(acceptLanguage: string | undefined): PageLocale {
  if (!acceptLanguage) return 'fr';
  const ranked = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((l) => l.q > 0 && (l.primary === 'fr' || l.primary === 'en'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.primary as PageLocale | undefined) ?? 'fr';
}

/** A whole page; `body` must already be escaped HTML. */
export function htmlPage(locale: PageLocale, title: string, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>`,
    `<link rel="stylesheet" href="${PAGE_STYLESHEET_PATH}"></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('\n');
}
