import { allowedTransitions, canTransition, PUBLIC_STATUSES } from './lifecycle/proposal-lifecycle';
import { detectLanguage, plainText, renderSafeMarkdown } from './content/markdown';

describe('proposal lifecycle', () => {
  it('lets withdrawn and hidden be reached from every public state, and hidden return to any of them', () => {
    for (const s of PUBLIC_STATUSES) {
      expect(canTransition(s, 'withdrawn')).toBe(true);
      expect(canTransition(s, 'hidden')).toBe(true);
      expect(canTransition('hidden', s)).toBe(true);
    }
  });

  it('follows draft → published → threshold_reached | expired → evaluating → accepted | rejected, accepted → implemented', () => {
    expect(canTransition('draft', 'published')).toBe(true);
    expect(canTransition('published', 'threshold_reached')).toBe(true);
    expect(canTransition('published', 'expired')).toBe(true);
    expect(canTransition('threshold_reached', 'evaluating')).toBe(true);
    expect(canTransition('evaluating', 'accepted')).toBe(true);
    expect(canTransition('accepted', 'implemented')).toBe(true);
    expect(canTransition('rejected', 'implemented')).toBe(false);
    expect(canTransition('draft', 'threshold_reached')).toBe(false);
    expect(allowedTransitions('withdrawn')).toEqual([]);
  });
});

describe('safe Markdown', () => {
  it('keeps paragraphs, emphasis, lists and http(s) links only', () => {
    expect(renderSafeMarkdown('*a* **b**\n\n1. c\n\n[d](https://e.org)')).toBe(
      '<p><em>a</em> <strong>b</strong></p>\n<ol>\n<li>c</li>\n</ol>\n<p><a href="https://e.org" rel="nofollow ugc noopener noreferrer">d</a></p>',
    );
    expect(renderSafeMarkdown('[x](javascript:alert(1))')).not.toContain('<a');
    expect(renderSafeMarkdown('<b onclick="x">y</b>')).toBe('<p>&lt;b onclick="x"&gt;y&lt;/b&gt;</p>');
    expect(plainText('![img](x.png)')).toBe('');
  });

  it('detects French and English from common words, else the town language', () => {
    expect(detectLanguage('Des arbres pour la rue et le parc', 'en')).toBe('fr');
    expect(detectLanguage('More trees for the street and the park', 'fr')).toBe('en');
    expect(detectLanguage('Vélo', 'en')).toBe('en');
  });
});
