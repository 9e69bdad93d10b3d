import { buildCommandIndex } from './command-registry';

const handler = { handle: async () => ({}) };

describe('library commands of the live channel', () => {
  it('indexes each command to its handler', () => {
    const index = buildCommandIndex([{ className: 'Board', commands: ['board', 'board:sync'], instance: handler }]);
    expect([...index.keys()]).toEqual(['board', 'board:sync']);
    expect(index.get('board:sync')).toBe(handler);
  });

  it("refuses the channel's own names, socket.io's events, odd names and a name taken twice", () => {
    const build = (commands: string[], more: Array<{ className: string; commands: string[]; instance: unknown }> = []) => () =>
      buildCommandIndex([{ className: 'Board', commands, instance: handler }, ...more]);
    expect(build(['subscribe'])).toThrow(/reserved/);
    expect(build(['disconnect'])).toThrow(/reserved/);
    expect(build(['event'])).toThrow(/reserved/);
    expect(build(['Board Move'])).toThrow(/lower-case/);
    expect(build(['board'], [{ className: 'Other', commands: ['board'], instance: handler }])).toThrow(/already handled by Board/);
    expect(() => buildCommandIndex([{ className: 'Broken', commands: ['x'], instance: {} }])).toThrow(/handle/);
  });
});
