import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { type Budget, type BudgetProject, money } from './budget-types';
import { fieldsOf, ProjectForm, projectBody } from './project-form';

/**
 * The signed-in resident's own projects in this budget. While proposals are open, one not yet
 * reviewed can be changed (only what differs is sent) or withdrawn (confirmed first); the API
 * refuses once staff have reviewed it or proposals have closed, and its reason is shown.
 */
export function MyProjects({ budget, refreshKey, onChanged }: { budget: Budget; refreshKey: number; onChanged: (p: BudgetProject) => void }) {
  const { t, locale } = useI18n();
  const mine = useAsync(async () => (unwrap(await api.GET('/api/v1/budgets/{id}/my-projects', { params: { path: { id: budget.id } } })) as unknown as { items: BudgetProject[] }).items, [budget.id, refreshKey]);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (!mine.data || mine.data.length === 0) return null;
  const open = budget.phase === 'proposing';

  const replace = (p: BudgetProject) => {
    mine.set((list) => (list ?? []).map((x) => (x.id === p.id ? p : x)));
    onChanged(p);
  };
  const withdraw = async (p: BudgetProject) => {
    setFailure(null);
    try {
      replace(unwrap(await api.POST('/api/v1/budgets/{id}/projects/{projectId}/withdraw', { params: { path: { id: budget.id, projectId: p.id } } })) as unknown as BudgetProject);
      setStatus(t('myProjects.withdrawn', { title: p.title }));
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setConfirming(null);
    }
  };

  return (
    <section aria-labelledby="my-projects-title" data-testid="my-projects">
      <h2 id="my-projects-title">{t('myProjects.title')}</h2>
      <ul class="list">
        {mine.data.map((p) => (
          <li key={p.id} class="item" data-testid={`my-project-${p.id}`}>
            {editing === p.id ? (
              <ProjectForm
                budget={budget}
                initial={fieldsOf(p)}
                idPrefix="edit-project"
                submitLabel={t('myProjects.save')}
                onCancel={() => setEditing(null)}
                onSubmit={async (fields) => {
                  const body = projectBody(fields, fieldsOf(p));
                  if (Object.keys(body).length) replace(unwrap(await api.PATCH('/api/v1/budgets/{id}/projects/{projectId}', { params: { path: { id: budget.id, projectId: p.id } }, body: body as never })) as unknown as BudgetProject);
                  setEditing(null);
                  setStatus(t('myProjects.saved', { title: fields.title.trim() }));
                }}
              />
            ) : (
              <>
                <strong>{p.title}</strong> — {money(p.cost, budget.currency, locale)} <span class="badge">{t(`budget.status.${p.status}`)}</span>
                {open && p.status === 'proposed' && (
                  <p>
                    <button type="button" onClick={() => {
                        setStatus(null);
                        setEditing(p.id);
                      }} aria-label={t('myProjects.editLabel', { title: p.title })}>
                      {t('myProjects.edit')}
                    </button>{' '}
                    {confirming === p.id ? (
                      <>
                        <button type="button" onClick={() => void withdraw(p)}>
                          {t('myProjects.withdrawConfirm', { title: p.title })}
                        </button>{' '}
                        <button type="button" onClick={() => setConfirming(null)}>
                          {t('budgetSettings.cancel')}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => {
                          setStatus(null);
                          setConfirming(p.id);
                        }} aria-label={t('myProjects.withdrawLabel', { title: p.title })}>
                        {t('myProjects.withdraw')}
                      </button>
                    )}
                  </p>
                )}
                {open && p.status !== 'proposed' && p.status !== 'withdrawn' && <p class="muted">{t('myProjects.reviewed')}</p>}
              </>
            )}
          </li>
        ))}
      </ul>
      {status && (
        <p role="status" class="notice" data-testid="my-projects-status">
          {status}
        </p>
      )}
      {failure && (
        <p role="alert" class="notice notice-error">
          {failure}
        </p>
      )}
    </section>
  );
}
