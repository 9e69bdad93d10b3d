import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { QuestionField } from './question-field';
import { type Answer, type Answers, shownAnswers, visibleQuestions } from './survey-model';

/**
 * Answering a survey: whether the answers are anonymous is said before the first question; the
 * response is saved as it is ("save and come back") and submitted once complete; the API's 422
 * names the questions, shown beside each.
 */
export function SurveyAnswerScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const loaded = useAsync(async () => {
    const survey = unwrap(await api.GET('/api/v1/surveys/{id}', { params: { path: { id } } }));
    const mine = await api.GET('/api/v1/surveys/{id}/response', { params: { path: { id } } });
    const saved = mine.response.ok ? (mine.data ?? null) : null;
    return { survey, saved };
  }, [id]);
  const [answers, setAnswers] = useState<Answers | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error != null) return <Failure error={loaded.error} onRetry={loaded.reload} />;
  const { survey, saved } = loaded.data!;
  const current = answers ?? saved?.answers ?? {};
  const submitted = saved?.submitted ?? false;
  const setAnswer = (qid: string, a: Answer | undefined) => {
    const next = { ...current };
    if (a === undefined) delete next[qid];
    else next[qid] = a;
    setAnswers(next);
    setStatus(null);
  };

  const send = async (submit: boolean) => {
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const body = { answers: shownAnswers(survey.questions, current), ...(submit ? { submit: true } : {}) };
      const res = unwrap(await api.PUT('/api/v1/surveys/{id}/response', { params: { path: { id } }, body }));
      loaded.set((d) => d && { ...d, saved: res });
      setStatus(res.submitted ? t('survey.submitted') : t('survey.saved'));
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.details)) {
        const byQuestion: Record<string, string> = {};
        for (const d of error.details as Array<{ field?: string; message?: string }>) {
          if (d.field?.startsWith('answers.')) byQuestion[d.field.slice('answers.'.length)] = d.message ?? error.message;
        }
        setErrors(byQuestion);
      }
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="survey-title">
      <h1 id="survey-title">{survey.title}</h1>
      {survey.description && <p>{survey.description}</p>}
      <p class="notice" data-testid="anonymity">
        {survey.anonymous ? t('survey.anonymous') : t('survey.identified')}
      </p>
      <p class="muted">{t('survey.closes', { date: new Date(survey.closesAt).toLocaleString(locale) })}</p>
      {survey.state !== 'open' ? (
        <p role="status">{survey.state === 'closed' ? t('survey.closed') : t('survey.notOpen')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send(true);
          }}
        >
          {visibleQuestions(survey.questions, current).map((q) => (
            <QuestionField key={q.id} q={q} value={current[q.id]} error={errors[q.id]} onChange={(a) => setAnswer(q.id, a)} />
          ))}
          {failure && (
            <p role="alert" class="notice notice-error">
              {failure}
            </p>
          )}
          {status && (
            <p role="status" data-testid="survey-status">
              {status}
            </p>
          )}
          {submitted && !status && <p role="status">{t('survey.alreadySubmitted')}</p>}
          <div class="actions">
            {!submitted && (
              <button type="button" disabled={busy} onClick={() => void send(false)}>
                {t('survey.save')}
              </button>
            )}
            <button type="submit" class="primary" disabled={busy}>
              {submitted ? t('survey.update') : t('survey.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
