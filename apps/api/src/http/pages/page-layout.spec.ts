import { escapeHtml, htmlPage, pageLocale } from './page-layout';

describe('mail link pages: layout', () => {
  it('picks fr or en by preference, French otherwise', () => {
    expect(pageLocale(undefined)).toBe('fr');
    expect(pageLocale('en-GB,en;q=0.9')).toBe('en');
    expect(pageLocale('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7')).toBe('en');
    expect(pageLocale('en;q=0.5,fr-BE;q=0.8')).toBe('fr');
    expect(pageLocale('de, it')).toBe('fr');
    expect(pageLocale('en;q=0, fr;q=0')).toBe('fr');
    expect(pageLocale('garbage;;;q=abc,,,')).toBe('fr');
  });

  it('escapes what could open a tag or close an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml(null)).toBe('');
  });

  it('builds a page without any script, in the asked language', () => {
    const page = htmlPage('en', 'A <title>', '<p>hello</p>');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>A &lt;title&gt;</title>');
    expect(page).not.toMatch(/<script/i);
  });
});
