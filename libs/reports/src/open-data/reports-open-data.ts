import { Injectable } from '@nestjs/common';
import { OpenDataCell, OpenDataProvider, OpenDataset, OpenDataTown, ProvidesOpenData, TransactionService } from '@app/common';

/** Reports read per page of a download. */
export const OPEN_DATA_PAGE = 1000;
/** Published coordinates: 5 decimals (about a metre), what the public map shows anyway. */
const COORDINATE_DECIMALS = 5;

interface ReportRow {
  number: string;
  id: string;
  created_at: Date;
  cursor_t: string;
  kind: string;
  category_code: string;
  category: string | null;
  status: string;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  support_count: number;
  photo_count: number;
  lng: number;
  lat: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The reports' open data: each public report, and monthly figures per category.
 *
 * Only what is safe to publish for good under an open licence (see the README): never the
 * reporter (name, account, contact, anonymity choice), the assignee, the department, internal
 * notes, nor any free text — a description or an address is typed by a person, may name someone,
 * and may have been redacted or hidden by staff since; a dataset, once downloaded, cannot be
 * taken back. Reports out of public view (hidden by moderation, spam) are left out entirely.
 */
@Injectable()
@ProvidesOpenData()
export class ReportsOpenData implements OpenDataProvider {
  constructor(private readonly tx: TransactionService) {}

  datasets(): readonly OpenDataset[] {
    return [this.reports(), this.monthly()];
  }

  private reports(): OpenDataset {
    return {
      id: 'reports',
      title: { fr: 'Signalements dans l’espace public', en: 'Reports of problems in public space' },
      description: {
        fr: 'Chaque signalement public (nid-de-poule, éclairage, propreté…) : catégorie, statut, dates de prise en charge et de résolution, position. Sans données personnelles ni texte libre.',
        en: 'Every public report (potholes, street lights, litter…): category, status, when it was acknowledged and resolved, position. No personal data, no free text.',
      },
      fields: [
        { name: 'number', description: { fr: 'Numéro public du signalement', en: 'Public report number' } },
        { name: 'id', description: { fr: 'Identifiant (page publique du signalement)', en: 'Identifier (the report’s public page)' } },
        { name: 'created_at', description: { fr: 'Date de dépôt (UTC, ISO 8601)', en: 'Filed at (UTC, ISO 8601)' } },
        { name: 'kind', description: { fr: 'problem, suggestion ou compliment', en: 'problem, suggestion or compliment' } },
        { name: 'category_code', description: { fr: 'Code de la catégorie', en: 'Category code' } },
        { name: 'category', description: { fr: 'Nom de la catégorie (langue de la commune)', en: 'Category name (the town’s language)' } },
        { name: 'status', description: { fr: 'Statut actuel', en: 'Current status' } },
        { name: 'acknowledged_at', description: { fr: 'Pris en charge le', en: 'Acknowledged at' } },
        { name: 'resolved_at', description: { fr: 'Résolu le', en: 'Resolved at' } },
        { name: 'closed_at', description: { fr: 'Clos le', en: 'Closed at' } },
        { name: 'support_count', description: { fr: 'Nombre de soutiens', en: 'Number of supporters' } },
        { name: 'photo_count', description: { fr: 'Nombre de photos', en: 'Number of photos' } },
        { name: 'lng', description: { fr: 'Longitude (WGS84, 5 décimales)', en: 'Longitude (WGS84, 5 decimals)' } },
        { name: 'lat', description: { fr: 'Latitude (WGS84, 5 décimales)', en: 'Latitude (WGS84, 5 decimals)' } },
      ],
      point: { lng: 'lng', lat: 'lat' },
      updatedAt: (town) => this.lastChange(town),
      rows: (town) => this.reportRows(town),
    };
  }

  private monthly(): OpenDataset {
    return {
      id: 'reports-monthly',
      title: { fr: 'Signalements par mois et par catégorie', en: 'Reports per month and category' },
      description: {
        fr: 'Pour chaque mois (heure locale de la commune) et chaque catégorie : signalements déposés, pris en charge, résolus, et délai médian de résolution en heures.',
        en: 'For each month (the town’s local time) and category: reports filed, acknowledged, resolved, and the median time to resolve in hours.',
      },
      fields: [
        { name: 'month', description: { fr: 'Mois de dépôt (AAAA-MM)', en: 'Month filed (YYYY-MM)' } },
        { name: 'category_code', description: { fr: 'Code de la catégorie', en: 'Category code' } },
        { name: 'category', description: { fr: 'Nom de la catégorie', en: 'Category name' } },
        { name: 'filed', description: { fr: 'Signalements déposés', en: 'Reports filed' } },
        { name: 'acknowledged', description: { fr: 'Dont pris en charge', en: 'Of which acknowledged' } },
        { name: 'resolved', description: { fr: 'Dont résolus', en: 'Of which resolved' } },
        { name: 'median_hours_to_resolve', description: { fr: 'Délai médian de résolution (heures)', en: 'Median time to resolve (hours)' } },
      ],
      updatedAt: (town) => this.lastChange(town),
      rows: (town) => this.monthlyRows(town),
    };
  }

  private async lastChange(town: OpenDataTown): Promise<Date | null> {
    const [row] = (await this.tx.manager.query(`SELECT max(updated_at) AS at FROM reports WHERE municipality_id = $1`, [town.id])) as Array<{ at: Date | null }>;
    return row?.at ?? null;
  }

  /** Oldest first, a page at a time by (created_at, id) — reports_public_list_idx, read backwards. */
  private async *reportRows(town: OpenDataTown): AsyncGenerator<OpenDataCell[]> {
    let after: { t: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [town.id, town.locale];
      let keyset = '';
      if (after) {
        params.push(after.t, after.id);
        keyset = `AND (r.created_at, r.id) > ($3::timestamptz, $4::uuid)`;
      }
      const rows: ReportRow[] = await this.tx.manager.query(
        `SELECT r.number, r.id, r.created_at, r.created_at::text AS cursor_t, r.kind, r.category_code,
                COALESCE(c.name->>$2, c.name->>'fr', c.name->>'en') AS category, r.status,
                r.acknowledged_at, r.resolved_at, r.closed_at, r.support_count, r.photo_count,
                round(r.lng::numeric, ${COORDINATE_DECIMALS})::float8 AS lng, round(r.lat::numeric, ${COORDINATE_DECIMALS})::float8 AS lat
           FROM reports r JOIN report_categories c ON c.id = r.category_id
          WHERE r.municipality_id = $1 AND r.hidden_at IS NULL ${keyset}
          ORDER BY r.created_at, r.id
          LIMIT ${OPEN_DATA_PAGE}`,
        params,
      );
      for (const r of rows) {
        yield [
          r.number,
          r.id,
          iso(r.created_at),
          r.kind,
          r.category_code,
          r.category,
          r.status,
          iso(r.acknowledged_at),
          iso(r.resolved_at),
          iso(r.closed_at),
          r.support_count,
          r.photo_count,
          r.lng,
          r.lat,
        ];
      }
      if (rows.length < OPEN_DATA_PAGE) return;
      const last = rows[rows.length - 1];
      after = { t: last.cursor_t, id: last.id };
    }
  }

  /** Aggregated by PostgreSQL: one row per month and category, whatever the number of reports. */
  private async *monthlyRows(town: OpenDataTown): AsyncGenerator<OpenDataCell[]> {
    const rows: Array<{ month: string; category_code: string; category: string | null; filed: number; acknowledged: number; resolved: number; median_hours: number | null }> =
      await this.tx.manager.query(
        `SELECT to_char(date_trunc('month', r.created_at AT TIME ZONE $2), 'YYYY-MM') AS month, r.category_code,
                min(COALESCE(c.name->>$3, c.name->>'fr', c.name->>'en')) AS category,
                count(*)::int AS filed, count(r.acknowledged_at)::int AS acknowledged, count(r.resolved_at)::int AS resolved,
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.resolved_at - r.created_at)) / 3600)::numeric, 1)::float8 AS median_hours
           FROM reports r JOIN report_categories c ON c.id = r.category_id
          WHERE r.municipality_id = $1 AND r.hidden_at IS NULL
          GROUP BY 1, 2
          ORDER BY 1, 2`,
        [town.id, town.timezone, town.locale],
      );
    for (const r of rows) yield [r.month, r.category_code, r.category, r.filed, r.acknowledged, r.resolved, r.median_hours];
  }
}
