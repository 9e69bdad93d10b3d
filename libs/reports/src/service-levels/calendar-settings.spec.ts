import { calendarSettingsProblems, closuresProblems, normaliseWeeklyHours, regionProblems, weeklyHoursProblems } from './calendar-settings';

describe('weeklyHoursProblems', () => {
  it('accepts ordered, non-overlapping HH:mm periods', () => {
    expect(weeklyHoursProblems({ '1': [['08:30', '12:00'], ['13:30', '17:30']], '6': [['09:00', '12:00']] })).toEqual([]);
  });

  it.each([
    ['a bad weekday', { '8': [['08:00', '12:00']] }, /not an ISO weekday/],
    ['a bad time', { '1': [['8:00', '12:00']] }, /HH:mm/],
    ['24:00', { '1': [['08:00', '24:00']] }, /HH:mm/],
    ['a period closing before it opens', { '1': [['12:00', '08:00']] }, /open before it closes/],
    ['overlapping periods', { '1': [['08:00', '12:00'], ['11:00', '14:00']] }, /overlaps/],
    ['periods out of order', { '1': [['13:00', '17:00'], ['08:00', '12:00']] }, /overlaps or precedes/],
    ['not a list', { '1': '08:00-12:00' }, /list of at most/],
    ['a closed week', {}, /at least one opening period/],
    ['not an object', [['08:00', '12:00']], /must be an object/],
  ])('refuses %s', (_label, value, message) => {
    expect(weeklyHoursProblems(value).join(' ')).toMatch(message);
  });
});

describe('closures, regions and normalisation', () => {
  it('refuses impossible dates and repeats', () => {
    expect(closuresProblems(['2026-12-24', '2026-12-31'])).toEqual([]);
    expect(closuresProblems(['2026-02-30'])).toEqual(['"2026-02-30" is not a valid YYYY-MM-DD date']);
    expect(closuresProblems(['2026-12-24', '2026-12-24'])).toEqual(['"2026-12-24" is listed twice']);
  });

  it('knows the regions of a country', () => {
    expect(regionProblems('FR', '57')).toEqual([]);
    expect(regionProblems('FR', null)).toEqual([]);
    expect(regionProblems('FR', 'XX')).toEqual(['"XX" is not a known region of FR']);
  });

  it('names the fields at fault', () => {
    expect(calendarSettingsProblems('FR', { weeklyHours: {}, closures: ['nope'], region: 'XX' }).map((f) => f.field)).toEqual(['weeklyHours', 'closures', 'region']);
  });

  it('stores weekdays in order without closed days', () => {
    expect(Object.keys(normaliseWeeklyHours({ '5': [['08:00', '12:00']], '1': [['09:00', '10:00']], '2': [] }))).toEqual(['1', '5']);
  });
});
