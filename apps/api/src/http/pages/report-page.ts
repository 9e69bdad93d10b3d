import { escapeHtml, htmlPage, PageLocale } from './page-layout';

/** What the public page shows of a report: its public view (GET /api/v1/reports/:id, anonymous). */
export interface PublicReportPageData {
  number: string;
  kind: string;
  status: string;
  category: { code: string; name: Partial<Record<PageLocale, string>> };
  description: string;
  location: { lat: number; lng: number };
  address: string | null;
  reporterName: string | null;
  supportCount: number;
  photos: Array<{ thumbnailUrl: string; url: string }>;
  createdAt: string;
}

const STATUS: Record<PageLocale, Record<string, string>> = {
  fr: { new: 'Nouveau', acknowledged: 'Pris en compte', in_progress: 'En cours de traitement', resolved: 'Résolu', closed: 'Clos', rejected: 'Refusé', withdrawn: 'Retiré par son auteur' },
  en: { new: 'New', acknowledged: 'Acknowledged', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed', rejected: 'Rejected', withdrawn: 'Withdrawn by its reporter' },
};

const KIND: Record<PageLocale, Record<string, string>> = {
  fr: { problem: 'Signalement', suggestion: 'Suggestion', compliment: 'Remerciement' },
  en: { problem: 'Report', suggestion: 'Suggestion', compliment: 'Compliment' },
};

const LABELS = {
  fr: { category: 'Catégorie', status: 'État', place: 'Lieu', filed: 'Signalé le', by: 'Par', supports: 'Soutiens', map: 'voir sur la carte', photos: 'Photos', photo: 'Photo' },
  en: { category: 'Category', status: 'Status', place: 'Place', filed: 'Filed on', by: 'By', supports: 'Supports', map: 'see on the map', photos: 'Photos', photo: 'Photo' },
} as const;

/** The report's public page in one language; the municipality's time zone dates it. */
export function publicReportPage(locale: PageLocale, r: PublicReportPageData, municipality: { name: string; timezone: string }): string {
  const l = LABELS[locale];
  const ref = locale === 'fr' ? `n°${r.number}` : `#${r.number}`;
  const kind = KIND[locale][r.kind] ?? r.kind;
  const category = r.category.name[locale] ?? r.category.name.fr ?? r.category.name.en ?? r.category.code;
  const status = STATUS[locale][r.status] ?? r.status;
  const filed = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: municipality.timezone }).format(new Date(r.createdAt));
  const coordinates = `${r.location.lat.toFixed(5)}, ${r.location.lng.toFixed(5)}`;
  const map = `https://www.openstreetmap.org/?mlat=${r.location.lat}&mlon=${r.location.lng}#map=18/${r.location.lat}/${r.location.lng}`;
  const title = `${kind} ${ref} — ${municipality.name}`;
  const rows: Array<[string, string]> = [
    [l.category, escapeHtml(category)],
    [l.status, `<span class="status">${escapeHtml(status)}</span>`],
    [l.place, `${escapeHtml(r.address ?? coordinates)} (<a href="${escapeHtml(map)}" rel="noopener noreferrer">${l.map}</a>)`],
    [l.filed, escapeHtml(filed)],
  ];
  if (r.reporterName) rows.push([l.by, escapeHtml(r.reporterName)]);
  if (r.supportCount > 0) rows.push([l.supports, escapeHtml(r.supportCount)]);
  const photos = r.photos.length
    ? `<h2>${l.photos}</h2><p>${r.photos
        .map((p, i) => `<a href="${escapeHtml(p.url)}"><img src="${escapeHtml(p.thumbnailUrl)}" alt="${l.photo} ${i + 1}"></a>`)
        .join('')}</p>`
    : '';
  return htmlPage(
    locale,
    title,
    [
      `<h1>${escapeHtml(title)}</h1>`,
      `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
      `<p class="description">${escapeHtml(r.description)}</p>`,
      photos,
    ].join('\n'),
  );
}
