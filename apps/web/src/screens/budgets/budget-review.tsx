import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { BarChart } from '../../components/bar-chart';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { subscribe } from '../../realtime/socket';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { BudgetImport } from './budget-import';
import { type Budget, type BudgetProject, localized, money } from './budget-types';
import { PaperBallot } from './paper-ballot';

type ReviewStatus = 'feasible' | 'unfeasible' | 'on_ballot';
const REVIEW_STATUSES: ReviewStatus[] = ['feasible', 'unfeasible', 'on_ballot'];

interface Turnout {
  ballots: number;
  online: number;
  paper: number;
  byDistrict: Array<{ districtId: string | null; ballots: number }>;
}

/** Staff's review of one project: feasible, unfeasible (the reason goes to its author) or on the ballot, with its final cost. */
function ProjectReview({ budgetId, project, currency, onReviewed }: { budgetId: string; project: BudgetProject & { reviewReason?: string | null }; currency: string; onReviewed: (p: BudgetProject) => void }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<ReviewStatus>(project.status === 'proposed' || project.status === 'withdrawn' ? 'feasible' : project.status);
  const [reason, setReason] = useState(project.reviewReason ?? '');
  const [cost, setCost] = useState(String(project.cost));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const review = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    try {
      const saved = unwrap(
        await api.POST('/api/v1/budgets/{id}/projects/{projectId}/review', {
          params: { path: { id: budgetId, projectId: project.id } },
          body: { status, ...(status === 'unfeasible' ? { reason } : {}), ...(cost ? { cost: Number(cost) } : {}) } as never,
        }),
      ) as unknown as BudgetProject;
      setMessage({ ok: true, text: t('review.saved') });
      onReviewed(saved);
    } catch (failure) {
      setMessage({ ok: false, text: describeError(failure, t) });
    }
  };
  const id = `project-${project.id}`;
  return (
    <li class="item" data-testid="review-project">
      <h3 id={id}>
        {project.title} <span class="badge">{t(`review.status.${project.status}`)}</span>
      </h3>
      <p class="muted">
        {money(project.cost, currency, locale)} — {project.description}
      </p>
      <form class="filters-inline" onSubmit={(e) => void review(e)} aria-labelledby={id}>
        <label>
          {t('review.decision')}
          <select value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as ReviewStatus)}>
            {REVIEW_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`review.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.cost')}
          <input type="number" min={1} step={1} inputMode="numeric" value={cost} onInput={(e) => setCost((e.currentTarget as HTMLInputElement).value)} />
        </label>
        {status === 'unfeasible' && (
          <label>
            {t('review.reason')}
            <input type="text" required maxLength={2000} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
          </label>
        )}
        <button type="submit">{t('review.submit')}</button>
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={`notice${message.ok ? '' : ' notice-error'}`}>
          {message.text}
        </p>
      )}
    </li>
  );
}

/** Staff: a budget's projects to review, and its turnout, live on `budget:{id}` (counts only, never a tally). */
export function BudgetReviewScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const budget = useAsync(async () => unwrap(await api.GET('/api/v1/budgets/{id}', { params: { path: { id } } })) as unknown as Budget, [id]);
  const projects = useAsync(
    async () => (unwrap(await api.GET('/api/v1/budgets/{id}/projects', { params: { path: { id }, query: { limit: 100 } } })) as unknown as { items: BudgetProject[] }).items,
    [id],
  );
  const districts = useAsync(
    async () => (town ? unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: town.slug } } })).items : []),
    [town?.slug],
  );
  const [turnout, setTurnout] = useState<Turnout | null>(null);
  const [live, setLive] = useState(false);
  useEffect(() => {
    void api.GET('/api/v1/budgets/{id}/turnout', { params: { path: { id } } }).then((r) => r.response.ok && setTurnout(r.data as unknown as Turnout));
    return subscribe(
      `budget:${id}`,
      (event) => {
        const data = event.data as { turnout?: Turnout } | null;
        if (data?.turnout) setTurnout(data.turnout);
      },
      setLive,
    );
  }, [id]);

  if (budget.error instanceof ApiError && budget.error.status === 404) return <Failure error={budget.error} />;
  if (budget.error != null) return <Failure error={budget.error} onRetry={budget.reload} />;
  if (!budget.data) return <Loading />;
  const b = budget.data;
  const districtName = (districtId: string | null) => {
    if (!districtId) return t('review.noDistrict');
    const d = districts.data?.find((x) => x.id === districtId);
    return d ? (locale === 'en' ? d.nameEn : d.nameFr) : districtId.slice(0, 8);
  };
  return (
    <section class="card" aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title', { title: localized(b.title, locale) })}</h1>
      <p>
        <span class="badge">{t(`budget.phase.${b.phase}`)}</span> · <Link href={ROUTES.budget(id)}>{t('review.public')}</Link>
      </p>
      <section aria-labelledby="turnout-title" data-testid="turnout">
        <h2 id="turnout-title">
          {t('review.turnout')}{' '}
          {live && (
            <span class="badge live" data-testid="turnout-live">
              {t('triage.live')}
            </span>
          )}
        </h2>
        {turnout && (
          <>
            <p role="status" data-testid="turnout-figures">
              {t('review.turnoutFigures', { ballots: turnout.ballots, online: turnout.online, paper: turnout.paper })}
            </p>
            {turnout.byDistrict.length > 0 && <BarChart title={t('review.byDistrict')} rows={turnout.byDistrict.map((d) => ({ label: districtName(d.districtId), value: d.ballots }))} />}
          </>
        )}
      </section>
      {town && (b.phase === 'proposing' || b.phase === 'reviewing') && projects.data && (
        <BudgetImport budgetId={id} slug={town.slug} projects={projects.data} onImported={(project) => projects.set((list) => [...(list ?? []), project])} />
      )}
      {town && b.phase === 'voting' && projects.data && <PaperBallot budget={b} slug={town.slug} projects={projects.data.filter((p) => p.status === 'on_ballot')} />}
      <h2>{t('review.projects')}</h2>
      {projects.error != null && <Failure error={projects.error} onRetry={projects.reload} />}
      {projects.data?.length === 0 && <p>{t('review.noProjects')}</p>}
      <ul class="list">
        {projects.data?.map((p) => (
          <ProjectReview key={p.id} budgetId={id} project={p} currency={b.currency} onReviewed={(saved) => projects.set((list) => list?.map((x) => (x.id === saved.id ? saved : x)) ?? list)} />
        ))}
      </ul>
    </section>
  );
}
