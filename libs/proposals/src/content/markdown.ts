import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * The body's Markdown subset: paragraphs, emphasis, lists, links. markdown-it renders it with raw
 * HTML off (typed HTML comes out as text) and its own link check (no javascript:, vbscript:,
 * file:, data:); sanitize-html then keeps only the subset's tags, http(s)/mailto links and
 * nothing else, whatever slipped through. Headings, code, quotes, tables and images are reduced
 * to their text. No regexes of ours touch the HTML.
 */
const markdown = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false, breaks: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'em', 'strong', 'ul', 'ol', 'li', 'a', 'br'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Someone else's link on a public page: no referrer juice, no window.opener.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener noreferrer' }) },
  // <a> without a usable href becomes its text.
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href,
};

/** The body as safe HTML, from its Markdown. */
export function renderSafeMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE).trim();
}

/** Plain text of the safe HTML (notifications, excerpts). */
export function plainText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}

const FR_WORDS = new Set(['le', 'la', 'les', 'des', 'une', 'un', 'et', 'est', 'pour', 'dans', 'du', 'au', 'aux', 'sur', 'que', 'qui', 'pas', 'nous', 'avec', 'plus', 'rue', 'ce', 'cette']);
const EN_WORDS = new Set(['the', 'a', 'an', 'and', 'is', 'for', 'in', 'of', 'to', 'on', 'that', 'with', 'we', 'our', 'this', 'are', 'more', 'street', 'it', 'be']);

/**
 * French or English, when the author did not say: whichever language's common words are more
 * frequent; a tie is the town's language. Good enough to pick a stemmer; the author may override.
 */
export function detectLanguage(text: string, fallback: 'fr' | 'en'): 'fr' | 'en' {
  let fr = 0;
  let en = 0;
  for (const word of text.toLowerCase().split(/[^a-zàâçéèêëîïôûùüÿœæ']+/)) {
    if (FR_WORDS.has(word)) fr++;
    if (EN_WORDS.has(word)) en++;
  }
  if (fr === en) return fallback;
  return fr > en ? 'fr' : 'en';
}
