import { decimalsOf, Election, ElectionBallot, formatAmount, parseAmount, VOTE_TYPES, VoteType } from './election';

/**
 * Pabulib (pabulib.org), the research community's format: `;`-separated sections META (key;value),
 * PROJECTS and VOTES, each with a header line (META's is sometimes missing), CRLF or LF line ends,
 * fields quoted "..." when they hold a `;` (as Python's csv module writes them).
 */
export interface PabulibFile {
  meta: Array<[string, string]>;
  projectColumns: string[];
  projects: Array<Record<string, string>>;
  voteColumns: string[];
  votes: Array<Record<string, string>>;
}

/** Bounds, so a hostile file cannot exhaust the process. */
export const PABULIB_LIMITS = { maxChars: 512 * 1024 * 1024, maxLineChars: 1_000_000, maxProjects: 10_000, maxVotes: 10_000_000, maxBallotLength: 10_000 };

export class PabulibParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'PabulibParseError';
  }
}

function splitFields(line: string, lineNo: number): string[] {
  if (!line.includes('"')) return line.split(';');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new PabulibParseError('unterminated quoted field', lineNo);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < line.length && line[i] !== ';') throw new PabulibParseError('text after a closing quote', lineNo);
      i++;
    } else {
      const next = line.indexOf(';', i);
      const end = next < 0 ? line.length : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function quote(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

type Section = 'META' | 'PROJECTS' | 'VOTES';

export function parsePabulib(text: string): PabulibFile {
  if (text.length > PABULIB_LIMITS.maxChars) throw new PabulibParseError(`file over ${PABULIB_LIMITS.maxChars} characters`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const file: PabulibFile = { meta: [], projectColumns: [], projects: [], voteColumns: [], votes: [] };
  const seen = new Set<Section>();
  let section: Section | null = null;
  let header: string[] | null = null;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > PABULIB_LIMITS.maxLineChars) throw new PabulibParseError('line too long', lineNo);
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const upper = trimmed.toUpperCase();
    if (upper === 'META' || upper === 'PROJECTS' || upper === 'VOTES') {
      if (seen.has(upper)) throw new PabulibParseError(`section ${upper} appears twice`, lineNo);
      seen.add(upper);
      section = upper;
      header = null;
      continue;
    }
    if (section === null) throw new PabulibParseError('content before the META section', lineNo);
    const fields = splitFields(line, lineNo);
    if (section === 'META') {
      // The "key;value" header line is optional.
      if (file.meta.length === 0 && header === null && fields[0].trim() === 'key' && (fields[1] ?? '').trim() === 'value') {
        header = fields;
        continue;
      }
      header = header ?? ['key', 'value'];
      if (fields.length < 2) throw new PabulibParseError('a META line needs key;value', lineNo);
      file.meta.push([fields[0].trim(), fields.slice(1).join(';').trim()]);
      continue;
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      if (new Set(header).size !== header.length) throw new PabulibParseError('duplicate column name', lineNo);
      const key = section === 'PROJECTS' ? 'project_id' : 'voter_id';
      if (!header.includes(key)) throw new PabulibParseError(`${section} header has no ${key} column`, lineNo);
      if (section === 'PROJECTS') file.projectColumns = header;
      else file.voteColumns = header;
      continue;
    }
    if (fields.length !== header.length) throw new PabulibParseError(`${fields.length} fields where the header has ${header.length}`, lineNo);
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i].trim();
    if (section === 'PROJECTS') {
      if (file.projects.length >= PABULIB_LIMITS.maxProjects) throw new PabulibParseError(`more than ${PABULIB_LIMITS.maxProjects} projects`, lineNo);
      file.projects.push(row);
    } else {
      if (file.votes.length >= PABULIB_LIMITS.maxVotes) throw new PabulibParseError(`more than ${PABULIB_LIMITS.maxVotes} votes`, lineNo);
      file.votes.push(row);
    }
  }
  for (const s of ['META', 'PROJECTS', 'VOTES'] as const) if (!seen.has(s)) throw new PabulibParseError(`no ${s} section`);
  return file;
}

export function writePabulib(file: PabulibFile): string {
  const lines = ['META', 'key;value', ...file.meta.map(([k, v]) => `${quote(k)};${quote(v)}`)];
  lines.push('PROJECTS', file.projectColumns.map(quote).join(';'));
  for (const p of file.projects) lines.push(file.projectColumns.map((c) => quote(p[c] ?? '')).join(';'));
  lines.push('VOTES', file.voteColumns.map(quote).join(';'));
  for (const v of file.votes) lines.push(file.voteColumns.map((c) => quote(v[c] ?? '')).join(';'));
  return lines.join('\n') + '\n';
}

export function metaValue(file: PabulibFile, key: string): string | undefined {
  return file.meta.find(([k]) => k === key)?.[1];
}

/** The election a Pabulib file describes, amounts exact (the scale is the most decimals used). */
export function electionOf(file: PabulibFile): Election {
  const budgetText = metaValue(file, 'budget');
  if (budgetText === undefined) throw new PabulibParseError('META has no budget');
  const voteType = (metaValue(file, 'vote_type') ?? 'approval').toLowerCase();
  if (!VOTE_TYPES.includes(voteType as VoteType)) throw new PabulibParseError(`unsupported vote_type "${voteType}"`);
  if (!file.projectColumns.includes('cost')) throw new PabulibParseError('PROJECTS has no cost column');
  if (!file.voteColumns.includes('vote')) throw new PabulibParseError('VOTES has no vote column');
  let scale = decimalsOf(budgetText);
  for (const p of file.projects) scale = Math.max(scale, decimalsOf(p.cost));
  if (scale > 9) throw new PabulibParseError('amounts with more than 9 decimals');
  const amount = (text: string, what: string): bigint => {
    try {
      return parseAmount(text, scale);
    } catch (e) {
      throw new PabulibParseError(`${what}: ${(e as Error).message}`);
    }
  };
  const budget = amount(budgetText, 'budget');
  const ids = new Set<string>();
  const projects = file.projects.map((p) => {
    if (!p.project_id) throw new PabulibParseError('a project without project_id');
    if (ids.has(p.project_id)) throw new PabulibParseError(`project ${p.project_id} listed twice`);
    ids.add(p.project_id);
    return { id: p.project_id, cost: amount(p.cost, `cost of project ${p.project_id}`) };
  });
  const hasPoints = voteType === 'cumulative' && file.voteColumns.includes('points');
  const ballots: ElectionBallot[] = file.votes.map((v) => {
    const chosen = v.vote === '' ? [] : v.vote.split(',').map((s) => s.trim());
    if (chosen.length > PABULIB_LIMITS.maxBallotLength) throw new PabulibParseError(`vote of ${v.voter_id} is too long`);
    const distinct = new Set(chosen);
    if (distinct.size !== chosen.length) throw new PabulibParseError(`vote of ${v.voter_id} names a project twice`);
    for (const id of chosen) if (!ids.has(id)) throw new PabulibParseError(`vote of ${v.voter_id} names unknown project ${id}`);
    if (!hasPoints) return { projects: chosen };
    const points = v.points === '' ? [] : v.points.split(',').map((s) => Number(s.trim()));
    if (points.length !== chosen.length || points.some((n) => !Number.isSafeInteger(n) || n < 0)) {
      throw new PabulibParseError(`points of ${v.voter_id} do not match its vote`);
    }
    return { projects: chosen, points };
  });
  return { scale, budget, voteType: voteType as VoteType, projects, ballots };
}

/** A Pabulib file for an election: ballots numbered 1..n in the order given. */
export function pabulibOf(election: Election, meta: Array<[string, string]>, extraProjectColumns: Record<string, Record<string, string>> = {}): PabulibFile {
  const base: Array<[string, string]> = [
    ['num_projects', String(election.projects.length)],
    ['num_votes', String(election.ballots.length)],
    ['budget', formatAmount(election.budget, election.scale)],
    ['vote_type', election.voteType],
  ];
  const keys = new Set(base.map(([k]) => k));
  const extraColumns = Object.keys(Object.values(extraProjectColumns)[0] ?? {});
  const cumulative = election.voteType === 'cumulative';
  return {
    meta: [...meta.filter(([k]) => !keys.has(k)), ...base],
    projectColumns: ['project_id', 'cost', ...extraColumns],
    projects: election.projects.map((p) => ({ project_id: p.id, cost: formatAmount(p.cost, election.scale), ...(extraProjectColumns[p.id] ?? {}) })),
    voteColumns: cumulative ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    votes: election.ballots.map((b, i) => ({
      voter_id: String(i + 1),
      vote: b.projects.join(','),
      ...(cumulative ? { points: (b.points ?? []).join(',') } : {}),
    })),
  };
}
