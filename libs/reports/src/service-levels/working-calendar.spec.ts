import { DEFAULT_WEEKLY_HOURS, WorkingCalendar } from './working-calendar';

const paris = (closures: string[] = []) =>
  new WorkingCalendar({ timezone: 'Europe/Paris', countryCode: 'FR', weeklyHours: DEFAULT_WEEKLY_HOURS, closures });

describe('WorkingCalendar', () => {
  it('adds working hours within one day', () => {
    // Tuesday 2026-11-17 09:00 Paris (UTC+1) + 2 h → 11:00 Paris.
    const due = paris().add(new Date('2026-11-17T08:00:00Z'), { amount: 2, unit: 'hours' });
    expect(due.toISOString()).toBe('2026-11-17T10:00:00.000Z');
  });

  it('skips the lunch break', () => {
    // 11:00 + 2 h: one hour before lunch, one after 13:30 → 14:30 Paris.
    const due = paris().add(new Date('2026-11-17T10:00:00Z'), { amount: 2, unit: 'hours' });
    expect(due.toISOString()).toBe('2026-11-17T13:30:00.000Z');
  });

  it('carries over nights and weekends', () => {
    // Friday 2026-11-20 16:00 Paris, + 2 h: 1 h Friday (closes 17:00), 1 h Monday from 08:30.
    const due = paris().add(new Date('2026-11-20T15:00:00Z'), { amount: 2, unit: 'hours' });
    expect(due.toISOString()).toBe('2026-11-23T08:30:00.000Z');
  });

  it('skips public holidays (Armistice, 11 November) and local closures', () => {
    // Tuesday 2026-11-10 17:30 Paris (closing) + 1 h: Wed 11 Nov is a holiday → Thursday 09:30 Paris.
    const due = paris().add(new Date('2026-11-10T16:30:00Z'), { amount: 1, unit: 'hours' });
    expect(due.toISOString()).toBe('2026-11-12T08:30:00.000Z');
    const closed = paris(['2026-11-12']).add(new Date('2026-11-10T16:30:00Z'), { amount: 1, unit: 'hours' });
    expect(closed.toISOString()).toBe('2026-11-13T08:30:00.000Z');
  });

  it('counts working days to the end of the due day', () => {
    // Monday 2026-11-16 + 2 working days → Wednesday 18 at 17:30 Paris.
    const due = paris().add(new Date('2026-11-16T09:00:00Z'), { amount: 2, unit: 'days' });
    expect(due.toISOString()).toBe('2026-11-18T16:30:00.000Z');
  });

  it('handles the change to summer time', () => {
    // Friday 2026-03-27 16:30 Paris (UTC+1) + 1 h → Monday 30 March 09:00 Paris (UTC+2).
    const due = paris().add(new Date('2026-03-27T15:30:00Z'), { amount: 1, unit: 'hours' });
    expect(due.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
});
