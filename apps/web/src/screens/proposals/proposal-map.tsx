import { useMemo } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { Failure, useAsync } from '../../components/async';
import { MarkersMap } from '../../components/markers-map';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { type Proposal, type ProposalSort, takesSupports } from './proposal-types';

/** The list's question, asked of `…/proposals/geojson` (same filters and sort). */
export interface ProposalQuery {
  q?: string;
  topicId?: string;
  sort: ProposalSort;
  seed?: string;
}

/**
 * The located proposals on a map, for the same question as the list beside it (the list stays
 * the way in with a keyboard or a screen reader: a circle is a pointer shortcut to its page).
 * Works without tiles: the town's boundary is drawn.
 */
export function ProposalMap({ slug, query }: { slug: string; query: ProposalQuery }) {
  const { t } = useI18n();
  const boundary = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug } } })).boundary ?? null, [slug]);
  const located = useAsync(
    async () =>
      unwrap(await api.GET('/api/v1/municipalities/{slug}/proposals/geojson', { params: { path: { slug }, query: { ...query, limit: 100 } } })),
    [slug, query.q, query.topicId, query.sort, query.seed],
  );
  const markers = useMemo(
    () =>
      (located.data?.features ?? []).map((f) => ({
        id: f.properties.id,
        location: { lat: f.geometry.coordinates[1], lng: f.geometry.coordinates[0] },
        label: f.properties.title,
        open: takesSupports({ ...f.properties, location: null } as Proposal),
      })),
    [located.data],
  );
  if (boundary.loading) return null;
  return (
    <section aria-labelledby="proposal-map-title">
      <h2 id="proposal-map-title">{t('proposal.map')}</h2>
      <MarkersMap boundary={boundary.data} markers={markers} label={t('proposal.map')} onOpen={(id) => navigate(ROUTES.proposal(id))} testId="proposal-map" />
      {located.error != null ? (
        <Failure error={located.error} onRetry={located.reload} />
      ) : (
        <p class="muted" role="status" data-testid="proposal-map-count">
          {located.data ? t('proposal.mapCount', { count: markers.length }) : t('common.loading')}
        </p>
      )}
    </section>
  );
}
