import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import type { OptionCount, QuestionResult } from './survey-model';

/** A bar chart of counts as native <meter> elements (no chart script: the CSP and the bundle stay as they are). */
function Bars({ rows, caption }: { rows: Array<{ key: string; label: string; value: number; percent: number }>; caption: string }) {
  return (
    <table class="bars">
      <caption class="visually-hidden">{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>
              <meter min={0} max={100} value={r.percent} aria-label={`${r.label}: ${r.percent} %`} />
            </td>
            <td class="num">
              {r.value} ({r.percent} %)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const optionRows = (options: OptionCount[]) => options.map((o) => ({ key: o.code, label: o.label, value: o.count, percent: o.percent }));

function QuestionResultView({ q }: { q: QuestionResult }) {
  const { t } = useI18n();
  return (
    <section class="question-result" data-testid={`result-${q.id}`} aria-labelledby={`result-${q.id}-title`}>
      <h2 id={`result-${q.id}-title`}>{q.label}</h2>
      <p class="muted">{t('results.answered', { count: q.answered })}</p>
      {q.options && <Bars rows={optionRows(q.options)} caption={q.label} />}
      {q.scale && (
        <>
          <p data-testid={`mean-${q.id}`}>{t('results.mean', { mean: q.scale.mean === null ? '—' : q.scale.mean.toFixed(2) })}</p>
          <Bars rows={q.scale.distribution.map((d) => ({ key: String(d.value), label: String(d.value), value: d.count, percent: d.percent }))} caption={q.label} />
        </>
      )}
      {q.ranking && (
        <>
          <h3>{t('results.borda')}</h3>
          <ol data-testid={`borda-${q.id}`}>
            {[...q.ranking.borda]
              .sort((a, b) => b.points - a.points)
              .map((b) => (
                <li key={b.code}>
                  {b.label}: {t('results.points', { points: b.points })}
                </li>
              ))}
          </ol>
          <h3>{t('results.firstChoice')}</h3>
          <Bars rows={optionRows(q.ranking.firstChoice)} caption={t('results.firstChoice')} />
        </>
      )}
      {q.texts && (
        <ul class="texts">
          {q.texts.map((text, i) => (
            <li key={i}>{text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The CSV through the typed client (it carries the session), saved as a file. */
async function downloadCsv(id: string): Promise<void> {
  const text = unwrap(await api.GET('/api/v1/surveys/{id}/results.csv', { params: { path: { id } }, parseAs: 'text' })) as unknown as string;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `survey-${id}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A survey's results with charts: counts and percentages, means, Borda points, free texts. */
export function SurveyResultsScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const results = useAsync(async () => unwrap(await api.GET('/api/v1/surveys/{id}/results', { params: { path: { id }, query: {} } })), [id]);
  if (results.loading && !results.data) return <Loading />;
  if (results.error != null) return <Failure error={results.error} onRetry={results.reload} />;
  const r = results.data!;
  return (
    <section class="card" aria-labelledby="results-title">
      <h1 id="results-title">{t('results.title')}</h1>
      <p data-testid="responses">{t('results.responses', { count: r.responses })}</p>
      <button type="button" onClick={() => void downloadCsv(id)}>
        {t('results.csv')}
      </button>
      {r.questions.map((q) => (
        <QuestionResultView key={q.id} q={q} />
      ))}
    </section>
  );
}
