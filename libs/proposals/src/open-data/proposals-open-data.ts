import { Injectable } from '@nestjs/common';
import { OpenDataCell, OpenDataProvider, OpenDataset, OpenDataTown, ProvidesOpenData, TransactionService } from '@app/common';
import { PUBLIC_STATUSES, sqlStatusList } from '../lifecycle/proposal-lifecycle';

const PAGE = 1000;
const PUBLIC = sqlStatusList(PUBLIC_STATUSES);

interface ProposalRow {
  id: string;
  published_at: Date;
  cursor_t: string;
  status: string;
  topic_code: string;
  district_code: string | null;
  support_count: number;
  comment_count: number;
  threshold_reached_at: Date | null;
  answered_at: Date | null;
  lng: number | null;
  lat: number | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The proposals' open data: each public proposal's state, topic, district, counts and dates —
 * like the reports', no person and no free text (a title or body may name someone and may be
 * hidden or withdrawn later; a downloaded dataset cannot be taken back): the id links to the
 * proposal's public page.
 */
@Injectable()
@ProvidesOpenData()
export class ProposalsOpenData implements OpenDataProvider {
  constructor(private readonly tx: TransactionService) {}

  datasets(): readonly OpenDataset[] {
    return [
      {
        id: 'proposals',
        title: { fr: 'Propositions citoyennes', en: 'Citizen proposals' },
        description: {
          fr: 'Chaque proposition publique : état, thème, quartier, soutiens, commentaires, dates de publication, de seuil atteint et de réponse, position. Sans données personnelles ni texte libre.',
          en: 'Every public proposal: state, topic, district, supports, comments, when it was published, reached its threshold and was answered, position. No personal data, no free text.',
        },
        fields: [
          { name: 'id', description: { fr: 'Identifiant (page publique)', en: 'Identifier (public page)' } },
          { name: 'published_at', description: { fr: 'Publiée le (UTC)', en: 'Published at (UTC)' } },
          { name: 'status', description: { fr: 'État actuel', en: 'Current state' } },
          { name: 'topic_code', description: { fr: 'Code du thème', en: 'Topic code' } },
          { name: 'district_code', description: { fr: 'Code du quartier', en: 'District code' } },
          { name: 'support_count', description: { fr: 'Soutiens', en: 'Supports' } },
          { name: 'comment_count', description: { fr: 'Commentaires', en: 'Comments' } },
          { name: 'threshold_reached_at', description: { fr: 'Seuil atteint le', en: 'Threshold reached at' } },
          { name: 'answered_at', description: { fr: 'Réponse publiée le', en: 'Answered at' } },
          { name: 'lng', description: { fr: 'Longitude (WGS84, 5 décimales)', en: 'Longitude (WGS84, 5 decimals)' } },
          { name: 'lat', description: { fr: 'Latitude (WGS84, 5 décimales)', en: 'Latitude (WGS84, 5 decimals)' } },
        ],
        // CSV only: many proposals have no place, and a GeoJSON feature needs one.
        updatedAt: async (town) => {
          const [row] = (await this.tx.manager.query(`SELECT max(updated_at) AS at FROM proposals WHERE municipality_id = $1 AND status IN ${PUBLIC}`, [town.id])) as Array<{ at: Date | null }>;
          return row?.at ?? null;
        },
        rows: (town) => this.rows(town),
      },
    ];
  }

  /** Newest first, a page at a time by (published_at, id): proposals_newest_idx. */
  private async *rows(town: OpenDataTown): AsyncGenerator<OpenDataCell[]> {
    let after: { t: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [town.id];
      let keyset = '';
      if (after) {
        params.push(after.t, after.id);
        keyset = `AND (p.published_at, p.id) < ($2::timestamptz, $3::uuid)`;
      }
      const rows: ProposalRow[] = await this.tx.manager.query(
        `SELECT p.id, p.published_at, p.published_at::text AS cursor_t, p.status, t.code AS topic_code, d.code AS district_code,
                p.support_count, p.comment_count, p.threshold_reached_at, p.answered_at,
                round(p.lng::numeric, 5)::float8 AS lng, round(p.lat::numeric, 5)::float8 AS lat
           FROM proposals p JOIN proposal_topics t ON t.id = p.topic_id LEFT JOIN districts d ON d.id = p.district_id
          WHERE p.municipality_id = $1 AND p.status IN ${PUBLIC} ${keyset}
          ORDER BY p.published_at DESC, p.id DESC
          LIMIT ${PAGE}`,
        params,
      );
      for (const r of rows) {
        yield [r.id, iso(r.published_at), r.status, r.topic_code, r.district_code, r.support_count, r.comment_count, iso(r.threshold_reached_at), iso(r.answered_at), r.lng, r.lat];
      }
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1];
      after = { t: last.cursor_t, id: last.id };
    }
  }
}
