import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import type { Budget, BudgetProject } from './budget-types';
import { EMPTY_PROJECT, ProjectForm, projectBody } from './project-form';

/**
 * A verified resident proposes a project while the budget takes them (the fields in ProjectForm).
 * The form starts again empty once the project is proposed.
 */
export function ProposeProject({ budget, onProposed }: { budget: Budget; onProposed: (p: BudgetProject) => void }) {
  const { t } = useI18n();
  const [done, setDone] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  return (
    <section aria-labelledby="propose-title" data-testid="propose-project">
      <h2 id="propose-title">{t('propose.title')}</h2>
      <p class="muted">{t('propose.hint')}</p>
      <ProjectForm
        key={round}
        budget={budget}
        initial={EMPTY_PROJECT}
        idPrefix="propose"
        submitLabel={t('propose.submit')}
        onSubmit={async (fields) => {
          setDone(null);
          const project = unwrap(await api.POST('/api/v1/budgets/{id}/projects', { params: { path: { id: budget.id } }, body: projectBody(fields) as never })) as unknown as BudgetProject;
          onProposed(project);
          setDone(t('propose.done', { title: project.title }));
          setRound((r) => r + 1);
        }}
      />
      {done && (
        <p role="status" class="notice" data-testid="propose-done">
          {done}
        </p>
      )}
    </section>
  );
}
