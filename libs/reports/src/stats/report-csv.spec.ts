import { CSV_COLUMNS, neutraliseCsvText, toCsvRecord } from './report-csv';

describe('CSV export rows', () => {
  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('neutralises a formula-looking cell: %j', (text) => {
    expect(neutraliseCsvText(text)).toBe(`'${text}`);
  });

  it('leaves ordinary text and empty values alone', () => {
    expect(neutraliseCsvText('Pothole at 12 rue = 3')).toBe('Pothole at 12 rue = 3');
    expect(neutraliseCsvText(null)).toBe('');
  });

  it('maps a report to the columns in order, numbers untouched', () => {
    const record = toCsvRecord({
      number: '42',
      id: 'abc',
      createdAt: new Date('2026-01-02T03:04:05Z'),
      kind: 'problem',
      categoryCode: 'pothole',
      status: 'new',
      priority: 'high',
      department: null,
      assignee: '=cmd',
      address: '1 rue',
      lat: -3.5,
      lng: 50.1,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      supportCount: 3,
      description: '-danger',
    });
    expect(record).toHaveLength(CSV_COLUMNS.length);
    expect(record).toEqual(['42', 'abc', '2026-01-02T03:04:05.000Z', 'problem', 'pothole', 'new', 'high', '', "'=cmd", '1 rue', -3.5, 50.1, '', '', '', 3, "'-danger"]);
  });
});
