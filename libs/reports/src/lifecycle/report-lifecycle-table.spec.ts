import { checkTransition, REPORT_KINDS, REPORT_STATUSES, RESOLVED_GRACE_DAYS, type LifecycleActor, type ReportKind, type ReportStatus } from './report-lifecycle';

/**
 * The whole lifecycle table, written out by hand (from the README and the product's intent, not
 * computed from the code under test): for every kind, actor and (from, to) pair, the transition is
 * allowed iff it is listed here. Adding or dropping a single edge in the code fails this spec.
 */
const KINDS: readonly ReportKind[] = ['problem', 'suggestion', 'compliment'];
const STATUSES: readonly ReportStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected', 'withdrawn'];

type Edge = `${ReportStatus}->${ReportStatus}`;

/** The reporter's and the worker's answers on a resolved problem depend on the 30-day grace. */
type Situation = 'staff' | 'reporter-within-grace' | 'reporter-after-grace' | 'system-within-grace' | 'system-after-grace';

const EXPECTED: Record<ReportKind, Record<Situation, readonly Edge[]>> = {
  problem: {
    staff: [
      'new->acknowledged',
      'new->rejected',
      'acknowledged->in_progress',
      'acknowledged->rejected',
      'in_progress->resolved',
      'in_progress->rejected',
      'resolved->closed',
    ],
    'reporter-within-grace': ['new->withdrawn', 'resolved->in_progress', 'resolved->closed'],
    'reporter-after-grace': ['new->withdrawn', 'resolved->closed'],
    'system-within-grace': [],
    'system-after-grace': ['resolved->closed'],
  },
  suggestion: {
    staff: ['new->acknowledged', 'new->rejected', 'acknowledged->closed', 'acknowledged->rejected'],
    'reporter-within-grace': ['new->withdrawn'],
    'reporter-after-grace': ['new->withdrawn'],
    'system-within-grace': [],
    'system-after-grace': [],
  },
  compliment: {
    staff: ['new->acknowledged', 'new->rejected', 'acknowledged->closed', 'acknowledged->rejected'],
    'reporter-within-grace': ['new->withdrawn'],
    'reporter-after-grace': ['new->withdrawn'],
    'system-within-grace': [],
    'system-after-grace': [],
  },
};

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-06-15T12:00:00Z');

const SITUATIONS: Record<Situation, { actor: LifecycleActor; resolvedAt: Date }> = {
  staff: { actor: 'staff', resolvedAt: new Date(NOW.getTime() - 1 * DAY) },
  'reporter-within-grace': { actor: 'reporter', resolvedAt: new Date(NOW.getTime() - (RESOLVED_GRACE_DAYS * DAY - 60_000)) },
  'reporter-after-grace': { actor: 'reporter', resolvedAt: new Date(NOW.getTime() - RESOLVED_GRACE_DAYS * DAY) },
  'system-within-grace': { actor: 'system', resolvedAt: new Date(NOW.getTime() - (RESOLVED_GRACE_DAYS * DAY - 60_000)) },
  'system-after-grace': { actor: 'system', resolvedAt: new Date(NOW.getTime() - RESOLVED_GRACE_DAYS * DAY) },
};

describe('report lifecycle table (every kind, actor and status pair)', () => {
  it('knows exactly the kinds and statuses this table covers', () => {
    expect([...REPORT_KINDS].sort()).toEqual([...KINDS].sort());
    expect([...REPORT_STATUSES].sort()).toEqual([...STATUSES].sort());
    expect(RESOLVED_GRACE_DAYS).toBe(30);
  });

  for (const kind of KINDS) {
    for (const situation of Object.keys(SITUATIONS) as Situation[]) {
      it(`${kind}, ${situation}: allows exactly the listed transitions and refuses every other`, () => {
        const { actor, resolvedAt } = SITUATIONS[situation];
        const allowed: Edge[] = [];
        const refusedWithoutReason: Edge[] = [];
        for (const from of STATUSES) {
          for (const to of STATUSES) {
            const verdict = checkTransition({ actor, kind, from, to, resolvedAt, now: NOW });
            if (verdict.ok) allowed.push(`${from}->${to}`);
            else if (!verdict.reason) refusedWithoutReason.push(`${from}->${to}`);
          }
        }
        expect(allowed.sort()).toEqual([...EXPECTED[kind][situation]].sort());
        expect(refusedWithoutReason).toEqual([]);
      });
    }
  }

  it('refuses a problem going from acknowledged straight to resolved, naming what is allowed', () => {
    expect(checkTransition({ actor: 'staff', kind: 'problem', from: 'acknowledged', to: 'resolved' })).toEqual({
      ok: false,
      allowed: ['in_progress', 'rejected'],
      reason: expect.any(String),
    });
  });

  it('never lets a final status (closed, rejected, withdrawn) move again, for anyone', () => {
    for (const kind of KINDS) {
      for (const { actor, resolvedAt } of Object.values(SITUATIONS)) {
        for (const from of ['closed', 'rejected', 'withdrawn'] as const) {
          for (const to of STATUSES) {
            expect({ kind, actor, from, to, ok: checkTransition({ actor, kind, from, to, resolvedAt, now: NOW }).ok }).toEqual({ kind, actor, from, to, ok: false });
          }
        }
      }
    }
  });
});
