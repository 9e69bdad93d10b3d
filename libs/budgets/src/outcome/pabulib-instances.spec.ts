import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { electionOf, metaValue, parsePabulib, PabulibFile } from './pabulib';
import { naturalCompare } from './natural-order';
import { computeOutcome, Outcome, selectedInNaturalOrder } from './outcome';

/**
 * The real Pabulib instances live in the shared folder beside the checkout (`../shared/data/pabulib`
 * from the repository root); a git worktree may sit deeper, so every ancestor is tried.
 */
function pabulibDir(): string {
  let dir = resolve(__dirname, '..', '..', '..', '..');
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'data', 'pabulib');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('no shared/data/pabulib beside the repository or any of its parents');
    dir = dirname(dir);
  }
}

const DIR = pabulibDir();
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.pb')).sort();

function published(file: PabulibFile): string[] | null {
  if (!file.projectColumns.includes('selected')) return null;
  return file.projects.filter((p) => p.selected === '1').map((p) => p.project_id).sort(naturalCompare);
}

/** Files whose published result differs from the stated rule, and exactly why. */
const EXPLAINED: Record<string, (file: PabulibFile, ours: Outcome) => void> = {
  // Projects 308 (69,200) and 615 (110,500) both have 88 votes when 137,700 is left. Our stated
  // tie-break funds the cheaper 308 first (then 302 fits); Warsaw funded 615 first.
  'poland_warszawa_2018_niskie-okecie.pb': (file, ours) => {
    const votes = (id: string) => file.projects.find((p) => p.project_id === id)!.votes;
    expect([votes('308'), votes('615')]).toEqual(['88', '88']);
    const pub = published(file)!;
    const mine = selectedInNaturalOrder(ours);
    expect(mine.filter((id) => !pub.includes(id))).toEqual(['302', '308']);
    expect(pub.filter((id) => !mine.includes(id))).toEqual(['615']);
  },
};

describe('real Pabulib instances in ../shared/data/pabulib', () => {
  it('finds them', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(9);
  });

  describe.each(FILES)('%s', (name) => {
    const file = parsePabulib(readFileSync(join(DIR, name), 'utf8'));
    const election = electionOf(file);
    const rule = metaValue(file, 'rule');

    it('parses, with every vote counted as the PROJECTS section says', () => {
      expect(election.projects.length).toBe(Number(metaValue(file, 'num_projects')));
      expect(election.ballots.length).toBe(Number(metaValue(file, 'num_votes')));
      const outcome = computeOutcome(election, { rule: 'greedy' });
      for (const p of file.projects) {
        if (p.votes === undefined) continue;
        expect([p.project_id, outcome.projects.find((q) => q.id === p.project_id)!.ballots]).toEqual([p.project_id, Number(p.votes)]);
      }
      if (election.voteType === 'ordinal' && file.projectColumns.includes('score')) {
        for (const p of file.projects) expect([p.project_id, outcome.projects.find((q) => q.id === p.project_id)!.score]).toEqual([p.project_id, Number(p.score)]);
      }
    });

    if (rule === 'greedy') {
      it('gives the published outcome with greedy (where a selected column is published)', () => {
        const pub = published(file);
        const ours = computeOutcome(election, { rule: 'greedy' });
        if (pub === null) {
          expect(file.projectColumns).not.toContain('selected');
          expect(ours.cost).toBeLessThanOrEqual(election.budget);
        } else if (EXPLAINED[name]) EXPLAINED[name](file, ours);
        else expect(selectedInNaturalOrder(ours)).toEqual(pub);
      });
    }

    if (rule?.startsWith('equalshares')) {
      it('gives the published outcome with equal-shares and the within-budget Add1', () => {
        const ours = computeOutcome(election, { rule: 'equal-shares', add1: 'within-budget' });
        expect(selectedInNaturalOrder(ours)).toEqual(published(file));
        expect(ours.projects.filter((p) => p.selectedBy === 'greedy-completion')).toEqual([]);
      });

      it('stops earlier with until-exhaustive, at the first exhaustive outcome', () => {
        const ours = computeOutcome(election, { rule: 'equal-shares' });
        const costs = new Map(election.projects.map((p) => [p.id, p.cost]));
        const left = election.budget - ours.cost;
        expect([...costs].filter(([id, c]) => !ours.selected.includes(id) && c <= left)).toEqual([]);
      });
    }
  });
});
