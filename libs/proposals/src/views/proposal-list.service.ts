import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, invalidCursor, preparedQuery, selectEntities, TransactionService } from '@app/common';
import { Actor, MunicipalitiesService } from '@app/identity';
import { ListProposalsQueryDto, ProposalSort, SimilarQueryDto } from '../dto/proposal.dto';
import { PUBLIC_STATUSES, sqlStatusList, SUPPORTABLE_STATUSES } from '../lifecycle/proposal-lifecycle';
import { ProposalEntity } from '../proposal.entity';
import { ProposalsService } from '../proposals.service';
import { ProposalView } from './proposal-view';

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
/** The two stemmers, accents ignored (the civic_* configurations); a query matches in either language. */
const TSQUERY = (param: string) => `(websearch_to_tsquery('civic_fr', ${param}) || websearch_to_tsquery('civic_en', ${param}))`;

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
 * The public list, search, map and "similar proposals". The page's query and the views' reads
 * are prepared statements (common's preparedQuery / selectEntities): with eleven indexes on
 * proposals, planning a page cost more than running it. Every order is a keyset over one index:
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
    private readonly proposals: ProposalsService,
  ) {}

  async list(viewer: Actor | null, slug: string, query: ListProposalsQueryDto, options: { located?: boolean } = {}): Promise<ProposalPage> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = query.limit ?? 20;
    const params: unknown[] = [municipality.id];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`p.municipality_id = $1`];
    // Lists show public proposals; withdrawn ones only when asked for; drafts, held and hidden never.
    if (query.status === 'withdrawn') where.push(`p.status = 'withdrawn' AND p.published_at IS NOT NULL`);
    else if (query.status && PUBLIC_STATUSES.includes(query.status)) where.push(`p.status = ${p(query.status)}`, `p.status IN ${PUBLIC}`);
    else if (query.status) return { items: [], nextCursor: null, seed: null };
    else where.push(`p.status IN ${PUBLIC}`);
    if (query.topicId) where.push(`p.topic_id = ${p(query.topicId)}`);
    if (query.districtId) where.push(`p.district_id = ${p(query.districtId)}`);
    if (query.authorId) where.push(`p.author_id = ${p(query.authorId)}`);
    if (query.supportedByMe === 'true') {
      if (!viewer) return { items: [], nextCursor: null, seed: null };
      where.push(`p.id IN (SELECT s.proposal_id FROM proposal_supports s WHERE s.user_id = ${p(viewer.id)})`);
    }
    if (options.located) where.push(`p.location IS NOT NULL`);
    const q = query.q?.trim();
    if (q) where.push(`p.search_vector @@ ${TSQUERY(p(q))}`);

    const sort: ProposalSort | 'rank' = query.sort ?? (q ? 'rank' : 'newest');
    let rows: Array<{ id: string; k: string | number | null }>;
    let seed: string | null = null;
    let next: Record<string, string | number> | null = null;
    if (sort === 'random') {
      seed = query.seed ?? (viewer ? viewer.id : randomBytes(8).toString('hex'));
      ({ rows, next } = await this.randomPage(where, params, seedPoint(seed), limit, query.cursor));
    } else if (sort === 'rank') {
      const rank = `ts_rank(p.search_vector, ${TSQUERY(p(q))})`;
      if (query.cursor) {
        const c = decodeCursor(query.cursor, ['r', 'id'], { id: 'uuid' });
        if (!/^[0-9.e+-]+$/i.test(c.r)) throw invalidCursor();
        where.push(`(${rank} < ${p(c.r)}::real OR (${rank} = ${p(c.r)}::real AND p.id < ${p(c.id)}::uuid))`);
      }
      rows = await preparedQuery(
        this.tx.manager,
        `SELECT p.id, ${rank}::text AS k FROM proposals p WHERE ${where.join(' AND ')} ORDER BY ${rank} DESC, p.id DESC LIMIT ${limit + 1}`,
        params,
      );
      const last = rows.length > limit ? rows[limit - 1] : null;
      next = last ? { r: String(last.k), id: last.id } : null;
    } else {
      const { column, cast } = ORDERED[sort];
      if (query.cursor) {
        const c = decodeCursor(query.cursor, ['k', 'id'], { k: cast, id: 'uuid' });
        where.push(`(p.${column}, p.id) < (${p(c.k)}::${cast}, ${p(c.id)}::uuid)`);
      }
      const key = cast === 'timestamptz' ? `to_char(p.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `p.${column}`;
      rows = await preparedQuery(
        this.tx.manager,
        `SELECT p.id, ${key} AS k FROM proposals p WHERE ${where.join(' AND ')} ORDER BY p.${column} DESC, p.id DESC LIMIT ${limit + 1}`,
        params,
      );
      const last = rows.length > limit ? rows[limit - 1] : null;
      next = last ? { k: last.k as string | number, id: last.id } : null;
    }
    const ids = rows.slice(0, limit).map((r) => r.id);
    return { items: await this.viewsInOrder(ids, viewer), nextCursor: next ? encodeCursor(next) : null, seed };
  }

  async geojson(viewer: Actor | null, slug: string, query: ListProposalsQueryDto): Promise<ProposalFeatureCollection> {
    const page = await this.list(viewer, slug, { ...query, limit: query.limit ?? 100 }, { located: true });
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
  async similar(viewer: Actor | null, slug: string, query: SimilarQueryDto): Promise<ProposalView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const text = `${query.title} ${query.body ?? ''}`;
    // plainto_tsquery ANDs the words; any shared word should count, so its & become |.
    const anyWord = (config: string) => `replace(plainto_tsquery('${config}', $3)::text, ' & ', ' | ')::tsquery`;
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `SELECT p.id FROM proposals p, (SELECT ${anyWord('civic_fr')} || ${anyWord('civic_en')} AS q) w
        WHERE p.municipality_id = $1 AND p.status IN ${OPEN} AND (p.title % $2 OR p.search_vector @@ w.q)
        ORDER BY similarity(p.title, $2) + ts_rank(p.search_vector, w.q) DESC, p.id
        LIMIT 5`,
      [municipality.id, query.title, text],
    );
    return this.viewsInOrder(
      rows.map((r) => r.id),
      viewer,
    );
  }

  /** Page of the rotation starting at `point`: shuffle ≥ point first, then the wrap-around part. */
  private async randomPage(where: string[], params: unknown[], point: number, limit: number, cursor: string | undefined) {
    let phase = 0;
    let after: { s: string; id: string } | null = null;
    if (cursor) {
      const c = decodeCursor(cursor, ['ph', 's', 'id'], { ph: 'smallint', s: 'integer', id: 'uuid' });
      phase = Number(c.ph) === 1 ? 1 : 0;
      after = { s: c.s, id: c.id };
    }
    const rows: Array<{ id: string; k: number }> = [];
    for (; phase <= 1 && rows.length <= limit; phase++, after = null) {
      const local = [...params, point];
      const conds = [...where, phase === 0 ? `p.shuffle >= $${local.length}` : `p.shuffle < $${local.length}`];
      if (after) {
        local.push(after.s, after.id);
        conds.push(`(p.shuffle, p.id) > ($${local.length - 1}::int, $${local.length}::uuid)`);
      }
      const got = await preparedQuery<{ id: string; k: number }>(
        this.tx.manager,
        `SELECT p.id, p.shuffle AS k FROM proposals p WHERE ${conds.join(' AND ')} ORDER BY p.shuffle, p.id LIMIT ${limit + 1 - rows.length}`,
        local,
      );
      rows.push(...got);
    }
    // One row past the page says there is a next one; the cursor points at the last row shown.
    const last = rows.length > limit ? rows[limit - 1] : null;
    const next = last ? { ph: last.k >= point ? 0 : 1, s: last.k, id: last.id } : null;
    return { rows: rows.map((r) => ({ id: r.id, k: r.k })), next };
  }

  private async viewsInOrder(ids: string[], viewer: Actor | null): Promise<ProposalView[]> {
    if (ids.length === 0) return [];
    const entities = await selectEntities(this.tx.manager, ProposalEntity, `id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(entities.map((e) => [e.id, e]));
    return this.proposals.views(
      ids.map((id) => byId.get(id)!).filter(Boolean),
      viewer,
    );
  }
}
