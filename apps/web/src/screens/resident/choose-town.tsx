import { useEffect, useState } from 'preact/hooks';
import { api, type MunicipalitySummary, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { chooseTown } from '../../town';

const PAGE = 50;

/** The towns whose name contains `search` (all when empty), a page at a time. */
function useTownList(search: string) {
  const [query, setQuery] = useState('');
  // Typed letters settle before the list is asked again.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const towns = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities', { params: { query: { limit: PAGE, ...(query ? { q: query } : {}) } } })), [query]);
  const more = async () => {
    const cursor = towns.data?.nextCursor;
    if (!cursor) return;
    const next = unwrap(await api.GET('/api/v1/municipalities', { params: { query: { limit: PAGE, cursor, ...(query ? { q: query } : {}) } } }));
    towns.set((shown) => (shown ? { items: [...shown.items, ...next.items], nextCursor: next.nextCursor } : next));
  };
  return { towns, more };
}

/** GPS through `municipalities/locate`, or the list of towns, searchable by name. */
export function ChooseTownScreen() {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const { towns, more } = useTownList(search);
  const [message, setMessage] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const welcome = new URLSearchParams(location.search).has('welcome');

  const pick = (town: Pick<MunicipalitySummary, 'slug' | 'name'>) => {
    chooseTown({ slug: town.slug, name: town.name });
    navigate(ROUTES.newReport);
  };

  const locate = () => {
    if (!('geolocation' in navigator)) return setMessage(t('town.geoUnavailable'));
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      async (position) => {
        const result = await api.GET('/api/v1/municipalities/locate', { params: { query: { lat: position.coords.latitude, lng: position.coords.longitude } } });
        setLocating(false);
        if (result.data) pick(result.data.municipality);
        else setMessage(t('town.notFound'));
      },
      () => {
        setLocating(false);
        setMessage(t('town.geoUnavailable'));
      },
      { timeout: 10000, maximumAge: 60000 },
    );
  };

  return (
    <section class="card narrow" aria-labelledby="town-title">
      {welcome && (
        <p class="notice" role="status">
          {t('auth.signedUp')}
        </p>
      )}
      <h1 id="town-title">{t('town.title')}</h1>
      <button type="button" class="primary" onClick={locate} disabled={locating}>
        {locating ? t('town.locating') : t('town.locate')}
      </button>
      {message && <p role="status">{message}</p>}
      <h2>{t('town.list')}</h2>
      <label>
        {t('town.search')}
        <input type="search" value={search} maxLength={100} autocomplete="off" onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      </label>
      {towns.loading && <Loading />}
      {towns.error != null && <Failure error={towns.error} onRetry={towns.reload} />}
      {towns.data?.items.length === 0 && <p role="status">{t('town.noMatch')}</p>}
      <ul class="choices" data-testid="towns">
        {towns.data?.items.map((town) => (
          <li key={town.slug}>
            <button type="button" onClick={() => pick(town)}>
              {town.name}
            </button>
          </li>
        ))}
      </ul>
      {towns.data?.nextCursor && (
        <button type="button" onClick={() => void more()}>
          {t('town.more')}
        </button>
      )}
    </section>
  );
}
