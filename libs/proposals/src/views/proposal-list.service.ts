import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, invalidCursor, preparedQuery, PreserializedJson, TransactionService } from '@app/common';
import { Actor, MunicipalitiesService, UsersService } from '@app/identity';
import { ListProposalsQueryDto, ProposalSort, SimilarQueryDto } from '../dto/proposal.dto';
import { PUBLIC_STATUSES, sqlStatusList, SUPPORTABLE_STATUSES } from '../lifecycle/proposal-lifecycle';
import { ProposalView } from './proposal-view';
import { proposalViewSql } from './proposal-view-sql';

export interface ProposalPage {
  items: ProposalView[];
  nextCursor: string | null;
  /** The seed of a `random` list: send it back (with the cursor) to keep the same order. */
  seed: string | null;
}

export interface ProposalFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Omit<ProposalView, 'location'> }>;
  nextCursor: string | null;
  seed: string | null;
}

const PUBLIC = sqlStatusList(PUBLIC_STATUSES);
const OPEN = sqlStatusList(SUPPORTABLE_STATUSES);
/**
 * The two stemmers, accents ignored (the civic_* configurations); a query matches in either language.
 * A scalar subquery, so it is parsed once per statement: in the generic plan PostgreSQL picks for a
 * prepared page after five runs, a bare function call was re-evaluated for every matching row
 * (13,338 rows ranked in 70-80 ms against 16 ms, EXPLAIN ANALYZE on the bench's 100,000).
 */
const TSQUERY = (param: string) => `(SELECT websearch_to_tsquery('civic_fr', ${param}) || websearch_to_tsquery('civic_en', ${param}))`;
/**
 * What TSQUERY matches, written once when both stemmers read the words alike (most French and
 * English words, and every unaccented one): `q || q` matches what `q` matches, but the GIN scan
 * of the doubled query walked every posting list twice (bitmap index scan 10.8 ms against 3.5 ms
 * for a two-word query matching 952 of 100,000 proposals, EXPLAIN ANALYZE at load 7). Ranking keeps TSQUERY: ts_rank
 * scores an OR of two queries differently from one query, and the order must not change.
 */
const MATCH = (param: string) =>
  `(SELECT CASE WHEN fr = en THEN fr ELSE fr || en END FROM (SELECT websearch_to_tsquery('civic_fr', ${param}) AS fr, websearch_to_tsquery('civic_en', ${param}) AS en) w)`;

/** Keyset columns per sort: each is one partial index (municipality_id, key DESC, id DESC). */
const ORDERED: Record<Exclude<ProposalSort, 'random'>, { column: string; cast: 'timestamptz' | 'integer' }> = {
  newest: { column: 'published_at', cast: 'timestamptz' },
  most_supported: { column: 'support_count', cast: 'integer' },
  most_commented: { column: 'comment_count', cast: 'integer' },
};

/** A visitor's seed as a point on the 0 … 2³¹-1 circle of `shuffle` values. */
function seedPoint(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * The public list, search, map and "similar proposals". A page is one prepared statement (with
 * eleven indexes on proposals, planning a page cost more than running it) that finds the page's
 * ids and writes their views (proposal-view-sql.ts). Every order is a keyset over one index:
 * newest, most supported, most commented (denormalised counts), random (a rotation, starting at
 * the visitor's seed, of the permutation fixed by each proposal's random `shuffle`: every
 * proposal is equally likely to come first, the order is stable for one visitor and pages never
 * repeat or skip), and search rank.
 */
@Injectable()
export class ProposalListService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
  ) {}

  async list(viewer: Actor | null, slug: string, query: ListProposalsQueryDto, options: { located?: boolean } = {}): Promise<PreserializedJson<ProposalPage>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = query.limit ?? 20;
    const params: unknown[] = [municipality.id];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const empty = () => pageJson([], null, null);
    // Lists show public proposals; withdrawn ones only when asked for; drafts, held and hidden never.
    // The status conditions are written for an alias: a search ranks from proposal_search alone.
    const extra: string[] = [];
    // (proposal_search.listed is `status IN PUBLIC`, kept by its trigger.)
    let statusOn: (alias: 'p' | 's') => string[];
    if (query.status === 'withdrawn') {
      statusOn = (a) => [`${a}.status = 'withdrawn'`];
      extra.push(`p.published_at IS NOT NULL`);
    } else if (query.status && PUBLIC_STATUSES.includes(query.status)) {
      const status = p(query.status);
      statusOn = (a) => [`${a}.status = ${status}`, a === 's' ? 's.listed' : `p.status IN ${PUBLIC}`];
    } else if (query.status) return empty();
    else statusOn = (a) => [a === 's' ? 's.listed' : `p.status IN ${PUBLIC}`];
    if (query.topicId) extra.push(`p.topic_id = ${p(query.topicId)}`);
    if (query.districtId) extra.push(`p.district_id = ${p(query.districtId)}`);
    if (query.authorId) extra.push(`p.author_id = ${p(query.authorId)}`);
    if (query.supportedByMe === 'true') {
      if (!viewer) return empty();
      extra.push(`p.id IN (SELECT ps.proposal_id FROM proposal_supports ps WHERE ps.user_id = ${p(viewer.id)})`);
    }
    if (options.located) extra.push(`p.location IS NOT NULL`);
    const where = [`p.municipality_id = $1`, ...statusOn('p'), ...extra];
    const q = query.q?.trim();
    const words = q ? p(q) : '';
    if (q) where.push(`p.id IN (SELECT s.proposal_id FROM proposal_search s WHERE s.search_vector @@ ${MATCH(words)})`);

    const sort: ProposalSort | 'rank' = query.sort ?? (q ? 'rank' : 'newest');
    // The page's ids and sort keys (`o`), and the text of the key its cursor carries.
    let page: string;
    let key = 'page.o';
    let seed: string | null = null;
    if (sort === 'random') {
      seed = query.seed ?? (viewer ? viewer.id : randomBytes(8).toString('hex'));
      page = this.randomPage(where, p, seedPoint(seed), limit, query.cursor);
    } else if (sort === 'rank') {
      // Ranked from the narrow search table; proposals is read only for filters it does not hold.
      const rank = `ts_rank(s.search_vector, ${TSQUERY(words)})`;
      const conds = [`s.municipality_id = $1`, ...statusOn('s'), `s.search_vector @@ ${MATCH(words)}`];
      if (extra.length) conds.push(`s.proposal_id IN (SELECT p.id FROM proposals p WHERE ${[`p.municipality_id = $1`, ...extra].join(' AND ')})`);
      if (query.cursor) {
        const c = decodeCursor(query.cursor, ['r', 'id'], { id: 'uuid' });
        if (!/^[0-9.e+-]+$/i.test(c.r)) throw invalidCursor();
        conds.push(`(${rank} < ${p(c.r)}::real OR (${rank} = ${p(c.r)}::real AND s.proposal_id < ${p(c.id)}::uuid))`);
      }
      page = `SELECT s.proposal_id AS id, ${rank} AS o FROM proposal_search s WHERE ${conds.join(' AND ')} ORDER BY o DESC, s.proposal_id DESC LIMIT ${limit + 1}`;
      key = 'page.o::text';
    } else {
      const { column, cast } = ORDERED[sort];
      if (query.cursor) {
        const c = decodeCursor(query.cursor, ['k', 'id'], { k: cast, id: 'uuid' });
        where.push(`(p.${column}, p.id) < (${p(c.k)}::${cast}, ${p(c.id)}::uuid)`);
      }
      if (cast === 'timestamptz') key = `to_char(page.o AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
      page = `SELECT p.id, p.${column} AS o FROM proposals p WHERE ${where.join(' AND ')} ORDER BY p.${column} DESC, p.id DESC LIMIT ${limit + 1}`;
    }
    // The page's keys come from its index (an index-only scan), then each row's view is written.
    const order = sort === 'random' ? 'page.ph, page.o, page.id' : 'page.o DESC, page.id DESC';
    const rows = await preparedQuery<{ id: string; k: string | number; ph?: number; view: string }>(
      this.tx.manager,
      `SELECT page.id, ${key} AS k${sort === 'random' ? ', page.ph' : ''}, ${this.viewSql(viewer ? `${p(viewer.id)}::uuid` : null)} AS view
         FROM (${page}) page JOIN proposals p ON p.id = page.id ORDER BY ${order}`,
      params,
    );
    const shown = rows.slice(0, limit);
    // One row past the page says there is a next one; the cursor points at the last row shown.
    const last = rows.length > limit ? shown[limit - 1] : null;
    let next: Record<string, string | number> | null = null;
    if (last) next = sort === 'random' ? { ph: last.ph!, s: last.k, id: last.id } : sort === 'rank' ? { r: String(last.k), id: last.id } : { k: last.k, id: last.id };
    return pageJson(
      shown.map((r) => r.view),
      next ? encodeCursor(next) : null,
      seed,
    );
  }

  async geojson(viewer: Actor | null, slug: string, query: ListProposalsQueryDto): Promise<ProposalFeatureCollection> {
    const page = (await this.list(viewer, slug, { ...query, limit: query.limit ?? 100 }, { located: true })).value();
    return {
      type: 'FeatureCollection',
      features: page.items.map(({ location, ...properties }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [location!.lng, location!.lat] }, properties })),
      nextCursor: page.nextCursor,
      seed: page.seed,
    };
  }

  /**
   * The 5 open proposals most like what someone is about to write: title trigrams (pg_trgm) and
   * any of the text's stemmed words (full text), both index-served, summed into one score.
   */
  async similar(viewer: Actor | null, slug: string, query: SimilarQueryDto): Promise<PreserializedJson<{ items: ProposalView[] }>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const text = `${query.title} ${query.body ?? ''}`;
    // plainto_tsquery ANDs the words; any shared word should count, so its & become |.
    const anyWord = (config: string) => `replace(plainto_tsquery('${config}', $3)::text, ' & ', ' | ')::tsquery`;
    // Candidates from either index (title trigrams on proposals, words on proposal_search), then scored.
    const rows = await preparedQuery<{ view: string }>(
      this.tx.manager,
      `WITH w AS (SELECT ${anyWord('civic_fr')} || ${anyWord('civic_en')} AS q)
       SELECT ${this.viewSql(viewer ? '$4::uuid' : null)} AS view
         FROM (SELECT p.id, similarity(p.title, $2) + ts_rank(s.search_vector, w.q) AS o
                 FROM w,
                      (SELECT c.id FROM proposals c WHERE c.municipality_id = $1 AND c.status IN ${OPEN} AND c.title % $2
                       UNION
                       SELECT c.proposal_id FROM proposal_search c, w WHERE c.municipality_id = $1 AND c.listed AND c.status IN ${OPEN} AND c.search_vector @@ w.q) candidate
                 JOIN proposals p ON p.id = candidate.id
                 JOIN proposal_search s ON s.proposal_id = p.id
                ORDER BY o DESC, p.id LIMIT 5) page
         JOIN proposals p ON p.id = page.id ORDER BY page.o DESC, page.id`,
      viewer ? [municipality.id, query.title, text, viewer.id] : [municipality.id, query.title, text],
    );
    return new PreserializedJson(`{"items":[${rows.map((r) => r.view).join(',')}]}`);
  }

  /**
   * The page's keys as a rotation starting at `point`: shuffle ≥ point first (phase 0), then the
   * wrap-around part (phase 1); a cursor resumes inside its phase.
   */
  private randomPage(where: string[], p: (value: unknown) => string, point: number, limit: number, cursor: string | undefined): string {
    let phase = 0;
    let after: { s: string; id: string } | null = null;
    if (cursor) {
      const c = decodeCursor(cursor, ['ph', 's', 'id'], { ph: 'smallint', s: 'integer', id: 'uuid' });
      phase = Number(c.ph) === 1 ? 1 : 0;
      after = { s: c.s, id: c.id };
    }
    const at = p(point);
    const parts: string[] = [];
    for (; phase <= 1; phase++, after = null) {
      const conds = [...where, phase === 0 ? `p.shuffle >= ${at}::int` : `p.shuffle < ${at}::int`];
      if (after) conds.push(`(p.shuffle, p.id) > (${p(after.s)}::int, ${p(after.id)}::uuid)`);
      parts.push(`(SELECT ${phase} AS ph, p.id, p.shuffle AS o FROM proposals p WHERE ${conds.join(' AND ')} ORDER BY p.shuffle, p.id LIMIT ${limit + 1})`);
    }
    return `SELECT * FROM (${parts.join(' UNION ALL ')}) r ORDER BY ph, o, id LIMIT ${limit + 1}`;
  }

  /** The view of proposals aliased `p` as the caller (`viewerId`: a placeholder, or null) sees it. */
  private viewSql(viewerId: string | null): string {
    return proposalViewSql(viewerId, (id) => this.users.displayNameSql(id));
  }
}

function pageJson(items: string[], nextCursor: string | null, seed: string | null): PreserializedJson<ProposalPage> {
  return new PreserializedJson(`{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)},"seed":${JSON.stringify(seed)}}`);
}
