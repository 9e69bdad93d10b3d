import { SelectStatement } from './select-statement';

describe('SelectStatement', () => {
  it('numbers parameters in the order they are given, reusing a placeholder as often as needed', () => {
    const q = new SelectStatement('reports r');
    const viewer = q.param(null, 'uuid');
    q.select(`r.reporter_id = ${viewer}`, 'is_mine').select('r.id', 'id');
    const t = q.param('2026-01-01T00:00:00Z', 'timestamptz');
    q.where(`r.created_at <= ${t}`).where(`(r.created_at, r.id) < (${t}, ${q.param('x', 'uuid')})`).orderBy('r.created_at DESC', 'r.id DESC').limit(51);
    expect(q.toQuery()).toEqual([
      'SELECT r.reporter_id = $1::uuid AS "is_mine", r.id AS "id" FROM reports r WHERE r.created_at <= $2::timestamptz AND (r.created_at, r.id) < ($2::timestamptz, $3::uuid) ORDER BY r.created_at DESC, r.id DESC LIMIT 51',
      [null, '2026-01-01T00:00:00Z', 'x'],
    ]);
  });

  it('puts joins after the FROM, their parameters numbered with the rest', () => {
    const q = new SelectStatement('reports r').select(`r.id`, 'id');
    q.join(`JOIN (SELECT n.id FROM reports n WHERE n.municipality_id = ${q.param('m', 'uuid')} LIMIT 20) nearest ON nearest.id = r.id`);
    q.where(`r.kind = ${q.param('problem')}`);
    expect(q.toQuery()).toEqual([
      'SELECT r.id AS "id" FROM reports r JOIN (SELECT n.id FROM reports n WHERE n.municipality_id = $1::uuid LIMIT 20) nearest ON nearest.id = r.id WHERE r.kind = $2',
      ['m', 'problem'],
    ]);
  });

  it('leaves out the clauses it was not given and refuses a bad limit', () => {
    expect(new SelectStatement('t').select('1', 'one').toQuery()).toEqual(['SELECT 1 AS "one" FROM t', []]);
    expect(() => new SelectStatement('t').limit(-1)).toThrow('Bad row limit');
    expect(() => new SelectStatement('t').toQuery()).toThrow('needs a selection');
  });
});
