import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { useTown } from '../../town';
import { ProposalForm, type ProposalFields, toProposalChanges } from './proposal-form';
import { editable } from './proposal-types';

/**
 * Its author edits a draft, or a published proposal until its first support. A support may
 * arrive while the form is open: the API's 409 PROPOSAL_EDIT_LOCKED is then said in the form.
 */
export function EditProposalScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const town = useTown();
  const proposal = useAsync(async () => unwrap(await api.GET('/api/v1/proposals/{id}', { params: { path: { id } } })), [id]);

  if (proposal.error != null) return <Failure error={proposal.error} onRetry={proposal.reload} />;
  if (!proposal.data) return <Loading />;
  const p = proposal.data;
  if (!town) return <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>;

  async function save(fields: ProposalFields) {
    unwrap(await api.PATCH('/api/v1/proposals/{id}', { params: { path: { id } }, body: toProposalChanges(fields) }));
    navigate(ROUTES.proposal(id));
  }

  const initial: ProposalFields = { title: p.title, body: p.body, topicId: p.topic?.id ?? '', location: p.location, districtId: p.districtId ?? '' };
  return (
    <section class="card stack" aria-labelledby="edit-proposal-title">
      <h1 id="edit-proposal-title">{t('proposal.edit.title')}</h1>
      {!editable(p) && (
        <p role="status" class="notice">
          {t('proposal.edit.lockedHint')}
        </p>
      )}
      <ProposalForm slug={town.slug} initial={initial} submitLabel={t('proposal.edit.save')} onSubmit={save} />
      <Link href={ROUTES.proposal(id)}>{t('proposal.back.one')}</Link>
    </section>
  );
}
