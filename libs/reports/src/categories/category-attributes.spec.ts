import { attributeProblems, normaliseAttributes } from './category-attributes';
import type { CategoryAttribute } from './report-category.entity';

const defs: CategoryAttribute[] = [
  { code: 'size', datatype: 'singlevaluelist', required: true, description: 'Size', values: [{ key: 's', name: 'Small' }, { key: 'l', name: 'Large' }] },
  { code: 'depth', datatype: 'number', required: false, description: 'Depth (cm)' },
  { code: 'sides', datatype: 'multivaluelist', required: false, description: 'Sides', values: [{ key: 'n', name: 'N' }, { key: 's', name: 'S' }] },
  { code: 'seen', datatype: 'datetime', required: false, description: 'Seen at' },
];

describe('category attributes', () => {
  it('accepts valid answers', () => {
    expect(attributeProblems(defs, { size: 's', depth: '12', sides: ['n', 's'], seen: '2026-11-20T10:00:00+01:00' })).toEqual([]);
  });

  it('names each attribute at fault', () => {
    const problems = attributeProblems(defs, { size: 'xl', depth: 'deep', sides: ['n', 'n'], seen: 'yesterday', colour: 'red' });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['attributes.colour', 'attributes.depth', 'attributes.seen', 'attributes.sides', 'attributes.size'].sort(),
    );
  });

  it('requires required attributes', () => {
    expect(attributeProblems(defs, {})).toEqual([{ field: 'attributes.size', code: 'REQUIRED', message: 'is required' }]);
  });

  it('normalises numbers and lists', () => {
    expect(normaliseAttributes(defs, { size: 'l', depth: '3.5', sides: 'n' })).toEqual({ size: 'l', depth: 3.5, sides: ['n'] });
  });
});
