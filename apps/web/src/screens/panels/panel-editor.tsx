import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError, fieldMessages } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { useTown } from '../../town';
import { bodyOf, changesOf, draftOf, emptyDraft, type PanelDraft } from './panel-draft';
import { FeaturesEditor, type FieldErrors, fieldAttrs, FieldMessage } from './panel-features-editor';
import type { Panel } from './panel-types';

const text = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;

/**
 * The form of a panel's rules. Creating sends the whole draft; editing sends only what changed.
 * Whatever the API refuses is shown beside the field it names (`details[].field`), the rest above.
 */
function PanelForm({ slug, panel }: { slug: string; panel: Panel | null }) {
  const { t } = useI18n();
  const [baseline, setBaseline] = useState<PanelDraft>(() => (panel ? draftOf(panel) : emptyDraft()));
  const [draft, setDraft] = useState<PanelDraft>(baseline);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rulesFixed = !!panel && panel.status !== 'recruiting';
  const set = (patch: Partial<PanelDraft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    setNotice(null);
    try {
      if (!panel) {
        const created = unwrap(await api.POST('/api/v1/municipalities/{slug}/panels', { params: { path: { slug } }, body: bodyOf(draft) as never }));
        navigate(ROUTES.panelDraw(created.id));
        return;
      }
      const changes = changesOf(baseline, draft);
      if (Object.keys(changes).length === 0) {
        setNotice(t('panelEdit.unchanged'));
        return;
      }
      const updated = unwrap(await api.PATCH('/api/v1/municipalities/{slug}/panels/{id}', { params: { path: { slug, id: panel.id } }, body: changes as never }));
      const fresh = draftOf(updated);
      setBaseline(fresh);
      setDraft(fresh);
      setNotice(t('panelEdit.saved'));
    } catch (failure) {
      const beside = fieldMessages(failure);
      setErrors(beside);
      const count = Object.keys(beside).length;
      setError(count ? t('panelEdit.fix', { count }) : describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  const field = (path: keyof PanelDraft, label: string, props: { numeric?: boolean; long?: boolean; hint?: string } = {}) => (
    <div>
      <label>
        {label}
        {props.long ? (
          <textarea {...fieldAttrs(errors, path)} rows={4} value={draft[path] as string} onInput={(e) => set({ [path]: text(e) })} />
        ) : (
          <input {...fieldAttrs(errors, path)} inputMode={props.numeric ? 'decimal' : undefined} value={draft[path] as string} onInput={(e) => set({ [path]: text(e) })} />
        )}
      </label>
      {props.hint && <p class="muted">{props.hint}</p>}
      <FieldMessage errors={errors} path={path} />
    </div>
  );

  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-labelledby="panel-edit-title" data-testid="panel-editor" noValidate>
      <h1 id="panel-edit-title">{panel ? t('panelEdit.editTitle', { name: panel.name }) : t('panelEdit.newTitle')}</h1>
      {panel && (
        <p>
          <Link href={ROUTES.panelDraw(panel.id)}>{t('panelEdit.back')}</Link>
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error" data-testid="panel-edit-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {field('name', t('panelEdit.name'))}
      {field('purpose', t('panelEdit.purpose'), { long: true })}
      {field('termMonths', t('panelEdit.termMonths'), { numeric: true })}
      {field('confirmationDays', t('panelEdit.confirmationDays'), { numeric: true })}
      {field('rotationShare', t('panelEdit.rotationShare'), { numeric: true, hint: t('panelEdit.rotationShareHint') })}
      {field('consentVersion', t('panelEdit.consentVersion'), { hint: t('panelEdit.consentVersionHint') })}
      {field('consentText', t('panelEdit.consentText'), { long: true })}
      <fieldset class="stack plain" disabled={rulesFixed}>
        <legend>{t('panelEdit.rules')}</legend>
        {rulesFixed && <p class="muted">{t('panelEdit.rulesFixed')}</p>}
        {field('size', t('panelEdit.size'), { numeric: true })}
        <div>
          <label class="inline">
            <input type="checkbox" {...fieldAttrs(errors, 'householdRule')} checked={draft.householdRule} onChange={(e) => set({ householdRule: (e.currentTarget as HTMLInputElement).checked })} />{' '}
            {t('panelEdit.householdRule')}
          </label>
          <FieldMessage errors={errors} path="householdRule" />
        </div>
        <FeaturesEditor features={draft.features} errors={errors} onChange={(features) => set({ features })} />
      </fieldset>
      <button type="submit" disabled={busy}>
        {panel ? t('panelEdit.save') : t('panelEdit.create')}
      </button>
    </form>
  );
}

/** Staff: a new panel of the chosen town (`id` absent), or a panel's rules changed. */
export function PanelEditorScreen({ id }: { id?: string }) {
  const { t } = useI18n();
  const town = useTown();
  const existing = useAsync(async () => (id ? (unwrap(await api.GET('/api/v1/panels/{id}', { params: { path: { id } } }))) : null), [id]);
  if (!town) return <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>;
  if (existing.error) return <Failure error={existing.error} onRetry={existing.reload} />;
  if (existing.loading) return <Loading />;
  return (
    <section class="card">
      <PanelForm key={id ?? 'new'} slug={town.slug} panel={existing.data} />
    </section>
  );
}
