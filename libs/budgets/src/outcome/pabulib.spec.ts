import { electionOf, PabulibParseError, pabulibOf, parsePabulib, writePabulib } from './pabulib';

const SAMPLE = [
  'META',
  'description;Test; with a semicolon',
  'budget;1000.50',
  'vote_type;approval',
  'PROJECTS',
  'project_id;cost;name;votes',
  'W10;500.25;"Park; new benches";2',
  'W9;400;"Say ""hello""";1',
  'VOTES',
  'voter_id;vote',
  'a;W10,W9',
  'b;W10',
  '',
].join('\r\n');

describe('Pabulib', () => {
  it('parses CRLF files, a META without its header, quoted fields, string ids and decimal amounts', () => {
    const file = parsePabulib(SAMPLE);
    expect(file.meta).toEqual([
      ['description', 'Test; with a semicolon'],
      ['budget', '1000.50'],
      ['vote_type', 'approval'],
    ]);
    expect(file.projects.map((p) => p.name)).toEqual(['Park; new benches', 'Say "hello"']);
    const election = electionOf(file);
    expect(election).toEqual({
      scale: 2,
      budget: 100050n,
      voteType: 'approval',
      projects: [
        { id: 'W10', cost: 50025n },
        { id: 'W9', cost: 40000n },
      ],
      ballots: [{ projects: ['W10', 'W9'] }, { projects: ['W10'] }],
    });
  });

  it('writes what it reads: write → parse gives the same file and the same election', () => {
    const file = parsePabulib(SAMPLE);
    const again = parsePabulib(writePabulib(file));
    expect(again).toEqual(file);
    const election = electionOf(file);
    expect(electionOf(parsePabulib(writePabulib(pabulibOf(election, [['description', 'x']]))))).toEqual(election);
  });

  it('reads cumulative points and ordinal rankings', () => {
    const cumulative = electionOf(
      parsePabulib('META\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote;points\n1;2,1;3,1\n'),
    );
    expect(cumulative.ballots).toEqual([{ projects: ['2', '1'], points: [3, 1] }]);
    const ordinal = electionOf(parsePabulib('META\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n1;2,1\n'));
    expect(ordinal.ballots).toEqual([{ projects: ['2', '1'] }]);
  });

  it.each<[string, string, RegExp]>([
    ['no VOTES section', 'META\nbudget;1\nPROJECTS\nproject_id;cost\n1;1\n', /no VOTES section/],
    ['text before META', 'hello\nMETA\n', /before the META/],
    ['a row of the wrong width', 'META\nbudget;1\nPROJECTS\nproject_id;cost\n1;1;x\nVOTES\nvoter_id;vote\n', /line 5: 3 fields/],
    ['an unknown project in a vote', 'META\nbudget;1\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;2\n', /unknown project 2/],
    ['a project voted twice', 'META\nbudget;1\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;1,1\n', /twice/],
    ['a negative cost', 'META\nbudget;1\nPROJECTS\nproject_id;cost\n1;-1\nVOTES\nvoter_id;vote\n', /cost of project 1/],
    ['an unterminated quote', 'META\nbudget;1\nPROJECTS\nproject_id;cost;name\n1;1;"abc\nVOTES\nvoter_id;vote\n', /unterminated/],
    ['a section twice', 'META\nMETA\n', /twice/],
    ['an unsupported vote type', 'META\nbudget;1\nvote_type;scoring\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n', /vote_type/],
  ])('refuses %s with a PabulibParseError', (_label, text, message) => {
    expect(() => electionOf(parsePabulib(text))).toThrow(PabulibParseError);
    expect(() => electionOf(parsePabulib(text))).toThrow(message);
  });

  it('bounds the input: an over-long line is refused before it is split', () => {
    const text = `META\nbudget;1\nPROJECTS\nproject_id;cost;name\n1;1;${'x'.repeat(1_000_001)}\nVOTES\nvoter_id;vote\n`;
    expect(() => parsePabulib(text)).toThrow(/line too long/);
  });
});
