import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading } from '../../components/async';
import { type Translate, useI18n } from '../../i18n';
import { type InvitationLetter, labelOf, type Panel, percent, type RedrawOutcome, type RepresentativenessReport, type ResponseRate } from './panel-types';

const when = (iso: string, locale: string) => new Date(iso).toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' });

function RateCells({ r, t, locale }: { r: ResponseRate; t: Translate; locale: string }) {
  return (
    <>
      <td class="number">{r.invited}</td>
      <td class="number">{r.accepted}</td>
      <td class="number">{r.declined}</td>
      <td class="number">{r.noAnswer}</td>
      <td class="number">{r.pending}</td>
      <td class="number">{r.rate === null ? t('responseRates.none') : percent(r.rate, locale)}</td>
    </>
  );
}

/** Who answered the invitations, by feature value: a value that declines more is one to recruit harder. */
export function ResponseRatesTable({ panel, report }: { panel: Panel; report: RepresentativenessReport }) {
  const { t, locale } = useI18n();
  const featureOf = (code: string) => panel.features.find((f) => f.code === code);
  return (
    <div class="table-scroll">
      <table data-testid="response-rates">
        <caption>{t('responseRates.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('panel.quota.feature')}</th>
            <th scope="col">{t('panel.quota.value')}</th>
            <th scope="col" class="number">
              {t('responseRates.invited')}
            </th>
            <th scope="col" class="number">
              {t('responseRates.accepted')}
            </th>
            <th scope="col" class="number">
              {t('responseRates.declined')}
            </th>
            <th scope="col" class="number">
              {t('responseRates.noAnswer')}
            </th>
            <th scope="col" class="number">
              {t('responseRates.pending')}
            </th>
            <th scope="col" class="number">
              {t('responseRates.rate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.responseRates.map((r) => {
            const feature = featureOf(r.feature);
            const value = feature?.values.find((v) => v.code === r.value);
            return (
              <tr key={`${r.feature}/${r.value}`}>
                <td>{feature ? labelOf(feature) : r.feature}</td>
                <td>{value ? labelOf(value) : r.value}</td>
                <RateCells r={r} t={t} locale={locale} />
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('responseRates.overall')}
            </th>
            <RateCells r={report.overall} t={t} locale={locale} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Admin: the codes to print on the letters of drawn imported residents who have no account yet (reading them is audited). */
function InvitationLetters({ panelId }: { panelId: string }) {
  const { t, locale } = useI18n();
  const [letters, setLetters] = useState<InvitationLetter[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function load() {
    setBusy(true);
    setError(null);
    try {
      setLetters(unwrap(await api.GET('/api/v1/panels/{id}/invitation-letters', { params: { path: { id: panelId } } })));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="stack">
      <h3>{t('letters.title')}</h3>
      <p class="muted">{t('letters.hint')}</p>
      <button type="button" disabled={busy} onClick={() => void load()}>
        {letters ? t('letters.again') : t('letters.show')}
      </button>
      {busy && <Loading />}
      {error != null && <Failure error={error} />}
      {letters && letters.length === 0 && <p>{t('letters.none')}</p>}
      {letters && letters.length > 0 && (
        <table data-testid="invitation-letters">
          <caption>{t('letters.caption', { count: letters.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('draw.poolId')}</th>
              <th scope="col">{t('letters.code')}</th>
              <th scope="col">{t('letters.respondBy')}</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.memberId}>
                <td>{l.externalId}</td>
                <td>
                  <code>{l.code}</code>
                </td>
                <td>{when(l.respondBy, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The panel's term and its rotation: the term starts once every seat is confirmed (or by hand
 * with the seats confirmed so far); when it ends, the longest-serving share of the seats leaves
 * and a draw with a newly revealed seed fills them, keeping the quotas.
 */
export function TermAndRotation({ panel, onChanged }: { panel: Panel; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const [seed, setSeed] = useState('');
  const [outcome, setOutcome] = useState<RedrawOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }
  const startTerm = () => run(async () => void unwrap(await api.POST('/api/v1/panels/{id}/term/start', { params: { path: { id: panel.id } } })));
  const rotate = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const done = unwrap(await api.POST('/api/v1/panels/{id}/rotations', { params: { path: { id: panel.id } }, body: { seed: seed.trim() } }));
      setOutcome(done);
      setSeed('');
    });
  };

  return (
    <section class="detail stack" aria-labelledby="term-title" data-testid="panel-term">
      <h2 id="term-title">{t('term.title')}</h2>
      {panel.termNumber === 0 ? (
        <>
          <p>{t('term.notStarted')}</p>
          <button type="button" disabled={busy} onClick={() => void startTerm()}>
            {t('term.start')}
          </button>
        </>
      ) : (
        <p data-testid="term-dates">
          {t('term.running', { term: panel.termNumber, from: panel.termStartedAt ? when(panel.termStartedAt, locale) : '—', to: panel.termEndsAt ? when(panel.termEndsAt, locale) : '—' })}
        </p>
      )}
      {outcome && (
        <p role="status" class="notice" data-testid="rotation-outcome">
          {outcome.drawn < outcome.vacancies ? t('term.rotatedShort', { drawn: outcome.drawn, vacancies: outcome.vacancies }) : t('term.rotated', { drawn: outcome.drawn })}
        </p>
      )}
      {panel.rotationDue ? (
        <form class="stack" onSubmit={rotate} aria-labelledby="rotation-title">
          <h3 id="rotation-title">{t('term.rotationTitle')}</h3>
          <p>{t('term.rotationDue', { share: percent(panel.rotationShare, locale) })}</p>
          <label>
            {t('term.rotationSeed')}
            <input value={seed} required maxLength={200} onInput={(e) => setSeed((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={busy || !seed.trim()}>
            {t('term.rotate')}
          </button>
        </form>
      ) : (
        panel.termNumber > 0 && <p class="muted">{t('term.rotationLater', { share: percent(panel.rotationShare, locale) })}</p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <InvitationLetters panelId={panel.id} />
    </section>
  );
}
