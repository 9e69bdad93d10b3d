import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type Report, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import type { Point } from '../../components/map-picker';
import { StatusBadge } from '../../components/report-status';
import { type Bbox, MarkersMap } from '../../components/markers-map';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import type { ChosenTown } from '../../town';

const OPEN = 'new,acknowledged,in_progress';
const PAGE = 50;

/**
 * The reports around: a map and, beside it, the same reports as a list (the way in with a keyboard
 * or a screen reader). The list follows the map's box (`GET …/reports?bbox=`), newest first;
 * "more" follows the cursor. Open ones by default; "also resolved" widens it.
 */
export function ReportsAroundScreen({ town }: { town: ChosenTown }) {
  const { t, locale } = useI18n();
  const setup = useAsync(async () => {
    const [municipality, categories] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug: town.slug } } }).then(unwrap),
      api.GET('/api/v1/municipalities/{slug}/categories', { params: { path: { slug: town.slug } } }).then(unwrap),
    ]);
    return { boundary: municipality.boundary ?? null, categories: categories.filter((c) => c.active) };
  }, [town.slug]);
  const [bbox, setBbox] = useState<Bbox | null>(null);
  const [category, setCategory] = useState('');
  const [includeClosed, setIncludeClosed] = useState(false);
  const [centre, setCentre] = useState<Point | null>(null);
  const [geoError, setGeoError] = useState(false);
  const [reports, setReports] = useState<Report[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);

  const load = async (after: string | null) => {
    if (!bbox) return;
    // Only the latest question's answer is shown: a slow answer for an old box is dropped.
    const ask = ++latest.current;
    setLoading(true);
    try {
      const query = { bbox, limit: PAGE, ...(category ? { category } : {}), ...(includeClosed ? {} : { status: OPEN }), ...(after ? { cursor: after } : {}) };
      const page = unwrap(await api.GET('/api/v1/municipalities/{slug}/reports', { params: { path: { slug: town.slug }, query } })) as { items: Report[]; nextCursor: string | null };
      if (ask !== latest.current) return;
      setReports((shown) => (after ? [...shown, ...page.items.filter((r) => !shown.some((s) => s.id === r.id))] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (ask === latest.current) setError(failure);
    } finally {
      if (ask === latest.current) setLoading(false);
    }
  };

  useEffect(() => void load(null), [bbox, category, includeClosed, town.slug]);

  const markers = useMemo(
    () => reports.map((r) => ({ id: r.id, location: r.location, label: `${r.number} — ${r.category.name[locale] ?? r.category.code}`, open: OPEN.includes(r.status) })),
    [reports, locale],
  );

  const locate = () => {
    setGeoError(false);
    navigator.geolocation?.getCurrentPosition(
      (position) => setCentre({ lat: position.coords.latitude, lng: position.coords.longitude }),
      () => setGeoError(true),
      { timeout: 10000 },
    );
  };

  if (setup.error != null) return <Failure error={setup.error} onRetry={setup.reload} />;
  if (!setup.data) return <Loading />;
  return (
    <section class="card" aria-labelledby="around-title">
      <h1 id="around-title">{t('around.title', { town: town.name })}</h1>
      <div class="filters-inline">
        <label>
          {t('report.category')}
          <select value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('around.allCategories')}</option>
            {setup.data.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name[locale] ?? c.name.fr ?? c.code}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" checked={includeClosed} onChange={(e) => setIncludeClosed((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {t('around.includeClosed')}
        </label>
        <button type="button" onClick={locate}>
          {t('report.location.gps')}
        </button>
      </div>
      {geoError && (
        <p role="alert" class="notice notice-error">
          {t('around.geoUnavailable')}
        </p>
      )}
      <MarkersMap boundary={setup.data.boundary} markers={markers} centre={centre} label={t('around.map')} onMove={setBbox} onOpen={(id) => navigate(ROUTES.report(id))} />
      <h2 id="around-list">{t('around.list')}</h2>
      <p role="status" class="muted" data-testid="around-count">
        {loading ? t('common.loading') : t('around.count', { count: reports.length })}
      </p>
      {error != null && <Failure error={error} onRetry={() => void load(null)} />}
      <ul class="list" aria-labelledby="around-list" data-testid="around-list">
        {reports.map((r) => (
          <li key={r.id} class="item">
            <StatusBadge status={r.status} /> <Link href={ROUTES.report(r.id)}>{`${r.number} — ${r.category.name[locale] ?? r.category.code}`}</Link>
            <p class="muted">
              {r.description} · {t('around.supports', { count: r.supportCount })}
            </p>
          </li>
        ))}
      </ul>
      {!loading && reports.length === 0 && <p>{t('around.empty')}</p>}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)} disabled={loading}>
          {t('around.more')}
        </button>
      )}
    </section>
  );
}
