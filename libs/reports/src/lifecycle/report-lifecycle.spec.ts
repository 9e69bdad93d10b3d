import { allowedTransitions, checkTransition, open311Status, RESOLVED_GRACE_DAYS } from './report-lifecycle';

const day = 24 * 3600 * 1000;

describe('report lifecycle', () => {
  it('walks a problem through its whole life', () => {
    const path = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed'] as const;
    for (let i = 0; i < path.length - 1; i++) {
      expect(checkTransition({ actor: 'staff', kind: 'problem', from: path[i], to: path[i + 1] })).toEqual({ ok: true });
    }
  });

  it('lets staff reject from any open state only', () => {
    for (const from of ['new', 'acknowledged', 'in_progress'] as const) {
      expect(checkTransition({ actor: 'staff', kind: 'problem', from, to: 'rejected' }).ok).toBe(true);
    }
    expect(checkTransition({ actor: 'staff', kind: 'problem', from: 'closed', to: 'rejected' }).ok).toBe(false);
    expect(checkTransition({ actor: 'staff', kind: 'problem', from: 'resolved', to: 'rejected' }).ok).toBe(false);
  });

  it('refuses skipping steps and lists what is allowed', () => {
    const verdict = checkTransition({ actor: 'staff', kind: 'problem', from: 'new', to: 'resolved' });
    expect(verdict).toEqual({ ok: false, allowed: ['acknowledged', 'rejected'], reason: expect.any(String) });
  });

  it('never puts a compliment in progress', () => {
    expect(allowedTransitions('staff', 'compliment', 'new')).toEqual(['acknowledged', 'rejected']);
    expect(allowedTransitions('staff', 'compliment', 'acknowledged')).toEqual(['closed', 'rejected']);
    expect(checkTransition({ actor: 'staff', kind: 'compliment', from: 'acknowledged', to: 'in_progress' }).ok).toBe(false);
  });

  it('lets a suggestion be closed or rejected after acknowledgement', () => {
    expect(allowedTransitions('staff', 'suggestion', 'acknowledged')).toEqual(['closed', 'rejected']);
  });

  it('lets the reporter reopen within the grace period, and confirm at any time', () => {
    const now = new Date('2026-06-30T12:00:00Z');
    const recently = new Date(now.getTime() - 3 * day);
    const longAgo = new Date(now.getTime() - (RESOLVED_GRACE_DAYS + 1) * day);
    expect(allowedTransitions('reporter', 'problem', 'resolved', recently, now)).toEqual(['in_progress', 'closed']);
    expect(allowedTransitions('reporter', 'problem', 'resolved', longAgo, now)).toEqual(['closed']);
    expect(allowedTransitions('reporter', 'problem', 'in_progress', recently, now)).toEqual([]);
  });

  it('closes silently resolved problems only after the grace period', () => {
    const now = new Date('2026-06-30T12:00:00Z');
    expect(allowedTransitions('system', 'problem', 'resolved', new Date(now.getTime() - 29 * day), now)).toEqual([]);
    expect(allowedTransitions('system', 'problem', 'resolved', new Date(now.getTime() - 30 * day), now)).toEqual(['closed']);
  });

  it('maps to Open311 statuses', () => {
    expect(open311Status('new')).toBe('open');
    expect(open311Status('in_progress')).toBe('open');
    expect(open311Status('resolved')).toBe('closed');
    expect(open311Status('rejected')).toBe('closed');
  });

  it('lets the reporter withdraw a report of any kind while it is new, and only then', () => {
    for (const kind of ['problem', 'suggestion', 'compliment'] as const) {
      expect(checkTransition({ actor: 'reporter', kind, from: 'new', to: 'withdrawn' })).toEqual({ ok: true });
    }
    for (const from of ['acknowledged', 'in_progress', 'resolved', 'closed', 'rejected', 'withdrawn'] as const) {
      const verdict = checkTransition({ actor: 'reporter', kind: 'problem', from, to: 'withdrawn' });
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toContain(from);
    }
    // Staff reject; withdrawing is the reporter's word only.
    expect(checkTransition({ actor: 'staff', kind: 'problem', from: 'new', to: 'withdrawn' }).ok).toBe(false);
    expect(checkTransition({ actor: 'system', kind: 'problem', from: 'new', to: 'withdrawn' }).ok).toBe(false);
  });

  it('keeps a withdrawn report out of the open ones, closed for Open311', () => {
    expect(open311Status('withdrawn')).toBe('closed');
    expect(allowedTransitions('staff', 'problem', 'withdrawn')).toEqual([]);
  });
});
