import { DateTime } from 'luxon';

/**
 * The next daily digest after `from`: `hour`:00 local time in `timeZone` (an IANA zone), today
 * if that is still ahead, else tomorrow. Luxon resolves the daylight-saving gaps.
 */
export function nextDigestAt(from: Date, timeZone: string, hour: number): Date {
  const local = DateTime.fromJSDate(from, { zone: timeZone });
  const zone = local.isValid ? timeZone : 'UTC';
  const now = DateTime.fromJSDate(from, { zone });
  let at = now.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (at <= now) at = at.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return at.toJSDate();
}
