import { useState } from 'preact/hooks';
import { api, type Category, unwrap } from '../../api/client';
import { AttributeField, attributeAnswers } from '../../components/attribute-field';
import { Failure, Loading, useAsync } from '../../components/async';
import { MapPicker, type Point } from '../../components/map-picker';
import { NearbyReports } from '../../components/nearby-reports';
import { useI18n } from '../../i18n';
import { pendingReports, sendPendingReports } from '../../offline/pending-reports';
import { navigate, ROUTES } from '../../router';
import type { ChosenTown } from '../../town';

/**
 * Filing a report: point (map or GPS), category and its own questions, description, photo. The
 * report is saved on the device first (offline/report-queue.ts), then sent; without network it
 * waits and "My reports" shows it as waiting to send.
 */
export function NewReportScreen({ town }: { town: ChosenTown }) {
  const { t, locale } = useI18n();
  const categories = useAsync(async () => {
    const [list, municipality] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}/categories', { params: { path: { slug: town.slug } } }).then(unwrap),
      api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug: town.slug } } }).then(unwrap),
    ]);
    return { list: list.filter((c) => c.active), boundary: municipality.boundary ?? null };
  }, [town.slug]);
  const [point, setPoint] = useState<Point | null>(null);
  const [categoryCode, setCategoryCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const category: Category | undefined = categories.data?.list.find((c) => c.code === categoryCode);

  const useGps = () =>
    navigator.geolocation?.getCurrentPosition(
      (position) => setPoint({ lat: position.coords.latitude, lng: position.coords.longitude }),
      () => setError(t('town.geoUnavailable')),
      { timeout: 10000 },
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!point) return setError(t('report.missingLocation'));
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const photo = form.get('photo');
    setBusy(true);
    await pendingReports.add(
      town.slug,
      {
        kind: String(form.get('kind')),
        categoryCode,
        description: String(form.get('description')),
        location: { lat: point.lat, lng: point.lng },
        anonymous: form.get('anonymous') === 'on',
        ...(category?.attributes.length ? { attributes: attributeAnswers(form, category.attributes) } : {}),
      },
      photo instanceof File && photo.size > 0 ? photo : null,
    );
    void sendPendingReports();
    navigate(ROUTES.myReports);
  };

  if (categories.loading) return <Loading />;
  if (categories.error != null) return <Failure error={categories.error} onRetry={categories.reload} />;

  return (
    <section class="card" aria-labelledby="new-report-title">
      <h1 id="new-report-title">{t('report.new.title')}</h1>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>{t('report.location')}</legend>
          <p class="muted">{t('report.location.hint')}</p>
          <MapPicker value={point} onPick={setPoint} boundary={categories.data?.boundary} label={t('report.map')} />
          <p role="status" data-testid="chosen-point">
            {point ? t('report.location.chosen', { lat: point.lat.toFixed(5), lng: point.lng.toFixed(5) }) : t('report.location.none')}
          </p>
          <button type="button" onClick={useGps}>
            {t('report.location.gps')}
          </button>
        </fieldset>
        <label>
          {t('report.kind')}
          <select name="kind">
            <option value="problem">{t('report.kind.problem')}</option>
            <option value="suggestion">{t('report.kind.suggestion')}</option>
            <option value="compliment">{t('report.kind.compliment')}</option>
          </select>
        </label>
        <label>
          {t('report.category')}
          <select name="category" required value={categoryCode} onChange={(e) => setCategoryCode((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('report.category.choose')}</option>
            {categories.data?.list.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name[locale] ?? c.name.fr ?? c.code}
              </option>
            ))}
          </select>
        </label>
        <NearbyReports slug={town.slug} point={point} category={categoryCode} />
        {category?.attributes
          .slice()
          .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
          .map((attribute) => <AttributeField key={attribute.code} attribute={attribute} />)}
        <label>
          {t('report.description')}
          <textarea name="description" required minLength={3} maxLength={5000} rows={4} />
        </label>
        <label>
          {t('report.photo')}
          <input name="photo" type="file" accept="image/*" capture="environment" />
        </label>
        <label class="inline">
          <input name="anonymous" type="checkbox" /> {t('report.anonymous')}
        </label>
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('report.submit')}
        </button>
      </form>
    </section>
  );
}
