/**
 * Who may vote in a budget beyond being a verified resident of its town: optionally only for
 * their own district's heading (town-wide projects stay open to all), optionally from an age. The
 * age counts in whole calendar years from the year of birth (all the town asks): someone turning
 * 16 this year votes in a budget whose minimum age is 16.
 */
export interface BudgetEligibility {
  /** A resident votes for the town-wide heading or their own district's, not another district's. */
  byDistrict?: boolean;
  minimumAge?: number;
}

export interface ResidencyFacts {
  districtId: string | null;
  birthYear: number | null;
}

export type IneligibleReason = 'not_resident' | 'birth_year_unknown' | 'too_young' | 'other_district';

/** Why `residency` may not vote (for `heading`: null for town-wide, undefined before the ballot is known), or null. */
export function ineligibility(rules: BudgetEligibility, residency: ResidencyFacts | null, year: number, heading?: string | null): IneligibleReason | null {
  if (!residency) return 'not_resident';
  if (rules.minimumAge !== undefined && rules.minimumAge > 0) {
    if (residency.birthYear === null) return 'birth_year_unknown';
    if (year - residency.birthYear < rules.minimumAge) return 'too_young';
  }
  if (rules.byDistrict && heading && heading !== residency.districtId) return 'other_district';
  return null;
}
