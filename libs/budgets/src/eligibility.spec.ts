import { ineligibility } from './eligibility';

describe('budget eligibility', () => {
  const D1 = 'd1';
  const D2 = 'd2';
  const resident = (districtId: string | null, birthYear: number | null) => ({ districtId, birthYear });

  it('needs a residency, whatever the rules', () => {
    expect(ineligibility({}, null, 2027)).toBe('not_resident');
    expect(ineligibility({}, resident(null, null), 2027)).toBeNull();
  });

  it('counts the age in calendar years from the year of birth, the boundary year included', () => {
    const rules = { minimumAge: 16 };
    expect(ineligibility(rules, resident(null, 2011), 2027)).toBeNull();
    expect(ineligibility(rules, resident(null, 2012), 2027)).toBe('too_young');
    expect(ineligibility(rules, resident(null, null), 2027)).toBe('birth_year_unknown');
    expect(ineligibility({ minimumAge: 0 }, resident(null, null), 2027)).toBeNull();
  });

  it('keeps a district’s heading for its residents when by district, town-wide projects for all', () => {
    const rules = { byDistrict: true };
    expect(ineligibility(rules, resident(D1, null), 2027, D1)).toBeNull();
    expect(ineligibility(rules, resident(D1, null), 2027, D2)).toBe('other_district');
    expect(ineligibility(rules, resident(null, null), 2027, D2)).toBe('other_district');
    expect(ineligibility(rules, resident(D1, null), 2027, null)).toBeNull();
    expect(ineligibility(rules, resident(D1, null), 2027)).toBeNull();
    expect(ineligibility({}, resident(D1, null), 2027, D2)).toBeNull();
  });
});
