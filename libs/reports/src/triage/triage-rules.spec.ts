import { etagOf, expectedVersion, rejectionProblems, transitionColumns } from './triage-rules';

describe('expectedVersion', () => {
  it.each([
    ['"3"', undefined, 3],
    ['W/"3"', undefined, 3],
    ['3', undefined, 3],
    [undefined, 7, 7],
    ['"7"', 7, 7],
  ])('reads If-Match %j / version %j', (header, body, expected) => {
    expect(expectedVersion(header, body)).toBe(expected);
  });

  it('requires one of them', () => {
    expect(() => expectedVersion(undefined, undefined)).toThrow(expect.objectContaining({ code: 'VERSION_REQUIRED', kind: 'invalid' }));
    expect(() => expectedVersion('  ', undefined)).toThrow(expect.objectContaining({ code: 'VERSION_REQUIRED' }));
  });

  it('refuses garbage and disagreement', () => {
    expect(() => expectedVersion('*', undefined)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => expectedVersion('"abc"', undefined)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => expectedVersion('"3"', 4)).toThrow('Conflicting versions');
  });

  it('writes the ETag quoted', () => {
    expect(etagOf(5)).toBe('"5"');
  });
});

describe('rejectionProblems', () => {
  const id = '6f1c1f3e-8a3e-4f4e-9d5e-0b9b8f3f6a11';
  it('needs a reason to reject, and the original for a duplicate', () => {
    expect(rejectionProblems('rejected', undefined, undefined).map((p) => p.field)).toEqual(['reason']);
    expect(rejectionProblems('rejected', 'duplicate', undefined).map((p) => p.field)).toEqual(['duplicateOfId']);
    expect(rejectionProblems('rejected', 'duplicate', id)).toEqual([]);
    expect(rejectionProblems('rejected', 'spam', undefined)).toEqual([]);
  });

  it('takes no reason without a rejection', () => {
    expect(rejectionProblems('acknowledged', 'spam', undefined).map((p) => p.field)).toEqual(['reason']);
    expect(rejectionProblems(undefined, undefined, id).map((p) => p.field)).toEqual(['duplicateOfId']);
  });
});

describe('transitionColumns', () => {
  const now = new Date('2026-11-17T10:00:00Z');
  const earlier = new Date('2026-11-10T10:00:00Z');
  const fresh = { status: 'new' as const, acknowledgedAt: null, hiddenAt: null };

  it('stamps acknowledgement, resolution and closure', () => {
    expect(transitionColumns(fresh, 'acknowledged', {}, now)).toEqual({ status: 'acknowledged', acknowledgedAt: now });
    expect(transitionColumns({ ...fresh, status: 'acknowledged', acknowledgedAt: earlier }, 'in_progress', {}, now)).toEqual({ status: 'in_progress' });
    expect(transitionColumns({ ...fresh, status: 'in_progress', acknowledgedAt: earlier }, 'resolved', {}, now)).toEqual({ status: 'resolved', resolvedAt: now });
    expect(transitionColumns({ ...fresh, status: 'resolved', acknowledgedAt: earlier }, 'closed', { rating: 4 }, now)).toEqual({ status: 'closed', closedAt: now, rating: 4 });
  });

  it('a reopened report is no longer resolved', () => {
    expect(transitionColumns({ ...fresh, status: 'resolved', acknowledgedAt: earlier }, 'in_progress', {}, now)).toEqual({ status: 'in_progress', resolvedAt: null });
  });

  it('a rejection closes with its reason; spam leaves public view', () => {
    expect(transitionColumns(fresh, 'rejected', { rejectReason: 'invalid' }, now)).toEqual({
      status: 'rejected',
      closedAt: now,
      rejectReason: 'invalid',
      duplicateOfId: null,
    });
    expect(transitionColumns(fresh, 'rejected', { rejectReason: 'spam' }, now).hiddenAt).toEqual(now);
  });
});
