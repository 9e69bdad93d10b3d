import { DEFAULT_WEEKLY_HOURS, WorkingCalendar } from './working-calendar';
import { formerDeadlines, pendingDeadlines, planSlaJobs, slaJobId, warningTime } from './sla-warnings';

const paris = () => new WorkingCalendar({ timezone: 'Europe/Paris', countryCode: 'FR', weeklyHours: DEFAULT_WEEKLY_HOURS, closures: [] });
const at = (iso: string) => new Date(iso);

describe('WorkingCalendar.workingMinutesBetween', () => {
  it('counts only opening hours, across lunch, nights and weekends', () => {
    const cal = paris();
    // Tuesday 2026-11-17 09:00 → 11:00 Paris: 120 minutes.
    expect(cal.workingMinutesBetween(at('2026-11-17T08:00:00Z'), at('2026-11-17T10:00:00Z'))).toBe(120);
    // 11:00 → 14:30 Paris: 60 before lunch + 60 after.
    expect(cal.workingMinutesBetween(at('2026-11-17T10:00:00Z'), at('2026-11-17T13:30:00Z'))).toBe(120);
    // Friday 16:00 → Monday 09:30 Paris: 60 + 60.
    expect(cal.workingMinutesBetween(at('2026-11-20T15:00:00Z'), at('2026-11-23T08:30:00Z'))).toBe(120);
    expect(cal.workingMinutesBetween(at('2026-11-20T15:00:00Z'), at('2026-11-20T14:00:00Z'))).toBe(0);
  });

  it('is the inverse of addWorkingMinutes', () => {
    const cal = paris();
    const start = at('2026-11-10T16:30:00Z');
    const end = cal.addWorkingMinutes(start, 600);
    expect(cal.workingMinutesBetween(start, end)).toBe(600);
  });
});

describe('warningTime', () => {
  it('warns at 80% of the working time between filing and the deadline', () => {
    // Filed Tuesday 09:00 Paris, acknowledge within 2 h (11:00): warned at 10:36.
    const w = warningTime(paris(), at('2026-11-17T08:00:00Z'), at('2026-11-17T10:00:00Z'), at('2026-11-17T08:00:00Z'));
    expect(w!.toISOString()).toBe('2026-11-17T09:36:00.000Z');
  });

  it('skips closed hours: a Friday-evening report due Monday is warned on Monday, not in the night', () => {
    // Friday 16:00 Paris + 2 working hours = Monday 09:30; 80% = 96 min = Friday 1 h + Monday 36 min.
    const w = warningTime(paris(), at('2026-11-20T15:00:00Z'), at('2026-11-23T08:30:00Z'), at('2026-11-20T15:00:00Z'));
    expect(w!.toISOString()).toBe('2026-11-23T08:06:00.000Z');
  });

  it('warns now when the warning point has passed but the deadline has not', () => {
    const now = at('2026-11-17T09:50:00Z');
    expect(warningTime(paris(), at('2026-11-17T08:00:00Z'), at('2026-11-17T10:00:00Z'), now)).toEqual(now);
  });

  it('does not warn about a deadline already missed', () => {
    expect(warningTime(paris(), at('2026-11-17T08:00:00Z'), at('2026-11-17T10:00:00Z'), at('2026-11-17T10:00:00Z'))).toBeNull();
  });

  it('falls back to wall-clock time for a deadline inside closed hours', () => {
    // Saturday 10:00 → Saturday 20:00 UTC: no working time; 80% of 10 h = 18:00.
    const w = warningTime(paris(), at('2026-11-21T10:00:00Z'), at('2026-11-21T20:00:00Z'), at('2026-11-21T10:00:00Z'));
    expect(w!.toISOString()).toBe('2026-11-21T18:00:00.000Z');
  });
});

describe('pendingDeadlines', () => {
  const ack = at('2026-11-17T10:00:00Z');
  const resolve = at('2026-11-20T16:00:00Z');
  const override = at('2026-11-25T16:00:00Z');

  it('a new report can miss both; an acknowledged one only the resolution; a resolved one nothing', () => {
    expect(pendingDeadlines({ status: 'new', acknowledgeDueAt: ack, resolveDueAt: resolve, dueAt: null })).toEqual([
      { kind: 'acknowledge', deadline: ack },
      { kind: 'resolve', deadline: resolve },
    ]);
    expect(pendingDeadlines({ status: 'in_progress', acknowledgeDueAt: ack, resolveDueAt: resolve, dueAt: null })).toEqual([{ kind: 'resolve', deadline: resolve }]);
    expect(pendingDeadlines({ status: 'resolved', acknowledgeDueAt: ack, resolveDueAt: resolve, dueAt: null })).toEqual([]);
    expect(pendingDeadlines({ status: 'rejected', acknowledgeDueAt: ack, resolveDueAt: resolve, dueAt: null })).toEqual([]);
  });

  it("the staff's override replaces the resolve-by deadline", () => {
    expect(pendingDeadlines({ status: 'acknowledged', acknowledgeDueAt: ack, resolveDueAt: resolve, dueAt: override })).toEqual([{ kind: 'resolve', deadline: override }]);
  });
});

describe('planSlaJobs', () => {
  const id = '6f1c1f3e-8a3e-4f4e-9d5e-0b9b8f3f6a11';
  const createdAt = at('2026-11-17T08:00:00Z');
  const ack = at('2026-11-17T10:00:00Z');
  const now = createdAt;

  it('schedules a warning per pending deadline with a deterministic id', () => {
    const plan = planSlaJobs(id, { status: 'new', acknowledgeDueAt: ack, resolveDueAt: null, dueAt: null, createdAt }, [], paris(), now);
    expect(plan.add).toEqual([{ jobId: `sla-${id}-ack-${ack.getTime()}`, kind: 'acknowledge', deadline: ack, delay: 96 * 60 * 1000 }]);
    expect(plan.remove).toEqual([]);
    expect(slaJobId(id, 'resolve', ack)).toBe(`sla-${id}-resolve-${ack.getTime()}`);
  });

  it('cancels the warning once the report moved on, and those of former deadlines', () => {
    const former = at('2026-11-19T10:00:00Z');
    const plan = planSlaJobs(
      id,
      { status: 'acknowledged', acknowledgeDueAt: ack, resolveDueAt: null, dueAt: null, createdAt },
      [{ kind: 'resolve', deadline: former }],
      paris(),
      now,
    );
    expect(plan.add).toEqual([]);
    expect(plan.remove.sort()).toEqual([`sla-${id}-ack-${ack.getTime()}`, `sla-${id}-resolve-${former.getTime()}`].sort());
  });
});

describe('formerDeadlines', () => {
  it('reads the former deadlines out of a triage change', () => {
    expect(
      formerDeadlines({
        priority: { from: 'normal', to: 'urgent' },
        acknowledgeDueAt: { from: '2026-11-17T10:00:00.000Z', to: '2026-11-17T09:00:00.000Z' },
        dueAt: { from: null, to: '2026-11-30T10:00:00.000Z' },
        resolveDueAt: { from: '2026-11-20T10:00:00.000Z', to: null },
      }),
    ).toEqual([
      { kind: 'acknowledge', deadline: at('2026-11-17T10:00:00.000Z') },
      { kind: 'resolve', deadline: at('2026-11-20T10:00:00.000Z') },
    ]);
    expect(formerDeadlines(undefined)).toEqual([]);
    expect(formerDeadlines({ acknowledgeDueAt: { from: 'garbage' } })).toEqual([]);
  });
});
