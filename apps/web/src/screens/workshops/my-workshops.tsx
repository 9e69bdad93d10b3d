import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n, type Locale } from '../../i18n';
import { ROUTES } from '../../router';
import { ANY_WORKSHOP, useWorkshopNotices } from './live-notices';
import { localized, sessionWhen, type MyRegistration } from './workshop-format';

type When = 'upcoming' | 'past';
type Listing = { items: MyRegistration[]; nextCursor: string | null };

async function page(when: When, cursor?: string): Promise<Listing> {
  return unwrap(await api.GET('/api/v1/me/workshop-registrations', { params: { query: { when, limit: 20, ...(cursor ? { cursor } : {}) } } }));
}

function StateBadge({ r, locale }: { r: MyRegistration; locale: Locale }) {
  const { t } = useI18n();
  const label = r.state === 'waitlisted' && r.waitlistPosition != null ? t('workshop.waitlisted', { position: r.waitlistPosition }) : t(`workshop.status.${r.state}`);
  return (
    <>
      <span class="badge" data-testid="my-registration-state">
        {label}
      </span>
      {r.state === 'offered' && r.offerExpiresAt && (
        <span>
          {' '}
          {t('workshop.offer.until', { when: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: r.timezone }).format(new Date(r.offerExpiresAt)) })}
        </span>
      )}
    </>
  );
}

/**
 * My registrations, from the API (so the same on every device): upcoming sessions soonest first
 * or past ones latest first, each with its state and a link to its ticket; "more" follows the
 * keyset cursor. A seat offered (or a session moved) arrives live, and the list is read again
 * when the live connection comes back, like the workshop page and the ticket.
 */
export function MyWorkshopsScreen() {
  const { t, locale } = useI18n();
  const [when, setWhen] = useState<When>('upcoming');
  const list = useAsync(() => page(when), [when]);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  useWorkshopNotices(ANY_WORKSHOP, list.reload);
  const loadMore = async (cursor: string) => {
    setMore({ busy: true, error: null });
    try {
      const next = await page(when, cursor);
      list.set((shown) => ({ items: [...(shown?.items ?? []), ...next.items], nextCursor: next.nextCursor }));
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };
  return (
    <section class="card stack" aria-labelledby="my-workshops-title">
      <h1 id="my-workshops-title">{t('workshop.mine.title')}</h1>
      <div class="actions" role="group" aria-label={t('workshop.mine.which')}>
        {(['upcoming', 'past'] as const).map((w) => (
          <button key={w} type="button" class={w === when ? 'primary' : 'secondary'} aria-pressed={w === when} onClick={() => setWhen(w)}>
            {t(`workshop.mine.${w}`)}
          </button>
        ))}
      </div>
      {list.error != null && <Failure error={list.error} onRetry={list.reload} />}
      {!list.data && list.error == null && <Loading />}
      {list.data?.items.length === 0 && <p>{t(`workshop.mine.none.${when}`)}</p>}
      <ul class="list" data-testid="my-registrations">
        {list.data?.items.map((r) => (
          <li key={r.id} class="item stack" data-testid="my-registration">
            <p>
              <Link href={ROUTES.workshop(r.workshopId)}>{localized(r.workshopTitle, locale)}</Link>
            </p>
            <p>
              {sessionWhen(r, locale)}
              {r.sessionStatus === 'cancelled' && <> · {t('workshop.sessionCancelled')}</>}
            </p>
            <p role="status">
              <StateBadge r={r} locale={locale} />
            </p>
            <p>
              <Link href={ROUTES.ticket(r.id)}>{t('workshop.ticket.link')}</Link>
            </p>
          </li>
        ))}
      </ul>
      {more.error != null && <Failure error={more.error} />}
      {list.data?.nextCursor && (
        <div class="actions">
          <button type="button" disabled={more.busy} onClick={() => void loadMore(list.data!.nextCursor!)}>
            {t('workshop.mine.more')}
          </button>
        </div>
      )}
    </section>
  );
}
