import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';

/**
 * The private calendar feed of my seats (`/me/workshop-calendar`). The API keeps only a hash of
 * the secret and shows it once, so this screen cannot show a link made earlier: it makes a new
 * one (which stops the previous) or revokes it. The link is the whole permission — whoever has
 * it reads my sessions — so it is shown in a read-only field to copy into a calendar app.
 */
export function MyWorkshopCalendarScreen() {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  const issue = () =>
    run(async () => {
      const answer = unwrap(await api.POST('/api/v1/me/workshop-calendar'));
      setUrl(new URL(answer.path, location.origin).href);
      setRevoked(false);
    });
  const revoke = () =>
    run(async () => {
      unwrap(await api.DELETE('/api/v1/me/workshop-calendar'));
      setUrl(null);
      setRevoked(true);
    });
  const copy = () => url && void navigator.clipboard?.writeText(url).catch(() => undefined);
  return (
    <section class="card stack" aria-labelledby="my-calendar-title">
      <h1 id="my-calendar-title">{t('workshop.myCalendar.title')}</h1>
      <p>{t('workshop.myCalendar.intro')}</p>
      <p class="muted">{t('workshop.myCalendar.secret')}</p>
      {url && (
        <div class="stack" data-testid="my-calendar-url">
          <label>
            {t('workshop.myCalendar.url')}
            <input type="url" readOnly value={url} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          </label>
          <p class="muted">{t('workshop.myCalendar.once')}</p>
          <div class="actions">
            <button type="button" onClick={copy}>
              {t('workshop.myCalendar.copy')}
            </button>
            <a href={url.replace(/^https?:/, 'webcal:')}>{t('workshop.myCalendar.open')}</a>
          </div>
        </div>
      )}
      {revoked && <p role="status">{t('workshop.myCalendar.revoked')}</p>}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void issue()}>
          {url ? t('workshop.myCalendar.renew') : t('workshop.myCalendar.make')}
        </button>
        <button type="button" disabled={busy} onClick={() => void revoke()}>
          {t('workshop.myCalendar.revoke')}
        </button>
      </div>
    </section>
  );
}
