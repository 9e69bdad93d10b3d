import { ValidationError } from '@app/common';
import { expandSlots, instantToLocal } from './session-times';
import { REMINDER_LEADS, SessionRemindersService } from './session-reminders.service';

describe('session times in the town', () => {
  it('reads wall-clock times in the zone: 18:00 in Paris is 17:00 UTC in winter and 16:00 in summer', () => {
    const [winter] = expandSlots({ startsAt: '2027-01-10T18:00', endsAt: '2027-01-10T19:00' }, 'Europe/Paris', 's');
    const [summer] = expandSlots({ startsAt: '2027-07-10T18:00', endsAt: '2027-07-10T19:00' }, 'Europe/Paris', 's');
    expect(winter.startsAt.toISOString()).toBe('2027-01-10T17:00:00.000Z');
    expect(summer.startsAt.toISOString()).toBe('2027-07-10T16:00:00.000Z');
    expect(winter.registrationCutoffAt).toEqual(winter.startsAt);
  });

  it('keeps a weekly series at the same wall-clock time across the DST change, cut-offs at their distance', () => {
    const slots = expandSlots({ startsAt: '2027-03-21T18:00', endsAt: '2027-03-21T20:00', registrationCutoff: '2027-03-20T12:00', repeat: { frequency: 'weekly', count: 2 } }, 'Europe/Paris', 's');
    expect(slots.map((s) => instantToLocal(s.startsAt, 'Europe/Paris'))).toEqual(['2027-03-21T18:00', '2027-03-28T18:00']);
    expect(slots.map((s) => s.endsAt.getTime() - s.startsAt.getTime())).toEqual([7200_000, 7200_000]);
    expect(instantToLocal(slots[1].registrationCutoffAt, 'Europe/Paris')).toBe('2027-03-27T12:00');
  });

  it('refuses a time skipped by the DST change, an end before the start and a cut-off after it', () => {
    const fields = (input: Parameters<typeof expandSlots>[0]) => {
      try {
        expandSlots(input, 'Europe/Paris', 's');
        return [];
      } catch (e) {
        return (e as ValidationError).fieldErrors.map((f) => `${f.field}:${f.code}`);
      }
    };
    expect(fields({ startsAt: '2027-03-28T02:30', endsAt: '2027-03-28T04:00' })).toEqual(['s.startsAt:LOCAL_TIME_INVALID']);
    expect(fields({ startsAt: '2027-03-28T10:00', endsAt: '2027-03-28T09:00' })).toEqual(['s.endsAt:ENDS_BEFORE_START']);
    expect(fields({ startsAt: '2027-03-28T10:00', endsAt: '2027-03-28T11:00', registrationCutoff: '2027-03-28T10:30' })).toEqual(['s.registrationCutoff:CUTOFF_AFTER_START']);
  });

  it('plans the reminders still ahead: both a week out, only the 1 h one twenty hours out, none once started', () => {
    const reminders = new SessionRemindersService(null as never, null as never);
    const now = Date.parse('2027-01-01T00:00:00Z');
    const at = (ms: number) => reminders.plan('s1', new Date(now + ms), now).map((j) => j.kind);
    expect(at(7 * 24 * 3600_000)).toEqual(['24h', '1h']);
    expect(at(20 * 3600_000)).toEqual(['1h']);
    expect(at(-1)).toEqual([]);
    expect(reminders.plan('s1', new Date(now + 48 * 3600_000), now)[0].delay).toBe(48 * 3600_000 - REMINDER_LEADS['24h']);
  });
});
