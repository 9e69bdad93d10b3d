import { api, unwrap } from '../api/client';
import { describeError } from '../api/errors';
import { useI18n } from '../i18n';
import { navigate, ROUTES } from '../router';
import { useAsync } from './async';
import type { Point } from './map-picker';
import { StatusBadge } from './report-status';
import { useState } from 'preact/hooks';

/**
 * Open reports of the chosen category near the chosen point, before sending: supporting one
 * tells the city how many people a problem affects without a duplicate to merge.
 */
export function NearbyReports({ slug, point, category }: { slug: string; point: Point | null; category: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const nearby = useAsync(async () => {
    if (!point || !category || !navigator.onLine) return [];
    const found = unwrap(
      await api.GET('/api/v1/municipalities/{slug}/reports/nearby', { params: { path: { slug }, query: { lat: point.lat, lng: point.lng, category, radius: 250, limit: 5 } } }),
    );
    return found.filter((r) => !['resolved', 'closed', 'rejected', 'withdrawn'].includes(r.status) && !r.isMine);
  }, [slug, point?.lat, point?.lng, category]);

  if (!nearby.data?.length) return null;
  const supportInstead = async (id: string) => {
    try {
      unwrap(await api.POST('/api/v1/reports/{id}/support', { params: { path: { id } } }));
      navigate(ROUTES.report(id));
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };
  return (
    <section class="nearby" aria-labelledby="nearby-title" data-testid="nearby">
      <h2 id="nearby-title">{t('nearby.title')}</h2>
      <p class="muted">{t('nearby.hint')}</p>
      <ul class="list">
        {nearby.data.map((r) => (
          <li key={r.id} class="item">
            <p id={`nearby-${r.id}`}>
              <StatusBadge status={r.status} /> {r.description} <span class="muted">({t('nearby.distance', { distance: Math.round(r.distance) })})</span>
            </p>
            <button type="button" onClick={() => void supportInstead(r.id)} disabled={r.supportedByMe} aria-describedby={`nearby-${r.id}`}>
              {t('nearby.supportInstead')}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}
