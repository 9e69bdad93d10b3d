import { h, type ComponentChildren } from 'preact';

/**
 * Shows HTML the API rendered and sanitized (markdown-it, raw HTML off, then sanitize-html) without
 * ever handing a string to innerHTML: the markup is parsed inert (DOMParser runs no script) and
 * rebuilt as Preact nodes from an allow-list — the API's own subset — so a server-side slip cannot
 * become script here. Anything outside the list keeps only its text.
 */
const ALLOWED = new Set(['p', 'br', 'em', 'strong', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'hr']);
const SAFE_HREF = /^(https?:|mailto:)/i;

function rebuild(node: Node, key: number): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const children = Array.from(element.childNodes, rebuild);
  const tag = element.tagName.toLowerCase();
  if (!ALLOWED.has(tag)) return children;
  if (tag === 'a') {
    const href = element.getAttribute('href') ?? '';
    if (!SAFE_HREF.test(href.trim())) return children;
    return h('a', { key, href: href.trim(), rel: 'nofollow ugc noopener noreferrer' }, children);
  }
  return h(tag, { key }, children);
}

export function SafeHtml({ html, class: className, testId }: { html: string; class?: string; testId?: string }) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return (
    <div class={className} data-testid={testId}>
      {Array.from(doc.body.childNodes, rebuild)}
    </div>
  );
}
