import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { useTown } from '../../town';
import { EMPTY_FIELDS, ProposalForm, type ProposalFields, toProposalBody } from './proposal-form';
import { ProposalItem } from './proposal-list';
import type { Proposal } from './proposal-types';

const SIMILAR_DELAY_MS = 350;

/**
 * The open proposals most like the title being typed: asked once the typing pauses, and only
 * the latest answer is kept (an older, slower one never replaces it).
 */
function useSimilar(slug: string, title: string): Proposal[] {
  const [items, setItems] = useState<Proposal[]>([]);
  useEffect(() => {
    const wanted = title.trim();
    if (wanted.length < 3) {
      setItems([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api
        .GET('/api/v1/municipalities/{slug}/proposals/similar', { params: { path: { slug }, query: { title: wanted } } })
        .then((r) => current && setItems(unwrap(r).items))
        .catch(() => current && setItems([]));
    }, SIMILAR_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [slug, title]);
  return items;
}

/** Write a proposal: title, Markdown body, topic, a place or a district; similar ones shown first; saved as a draft, then published from its page. */
export function NewProposalScreen() {
  const { t } = useI18n();
  const town = useTown();
  const [title, setTitle] = useState('');
  const similar = useSimilar(town?.slug ?? '', town ? title : '');

  if (!town) return <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>;
  const slug = town.slug;

  async function save(fields: ProposalFields) {
    const created = unwrap(await api.POST('/api/v1/municipalities/{slug}/proposals', { params: { path: { slug } }, body: toProposalBody(fields) }));
    navigate(ROUTES.proposal(created.id));
  }

  return (
    <section class="card stack" aria-labelledby="new-proposal-title">
      <h1 id="new-proposal-title">{t('proposal.new.title')}</h1>
      <ProposalForm
        slug={slug}
        initial={EMPTY_FIELDS}
        submitLabel={t('proposal.new.save')}
        onSubmit={save}
        onTitleChange={setTitle}
        afterTitle={
          <div aria-live="polite" data-testid="similar">
            {similar.length > 0 && (
              <section aria-labelledby="similar-title" class="notice">
                <h2 id="similar-title">{t('proposal.similar.title')}</h2>
                <p>{t('proposal.similar.hint')}</p>
                <ul class="list">
                  {similar.map((p) => (
                    <ProposalItem key={p.id} proposal={p} />
                  ))}
                </ul>
              </section>
            )}
          </div>
        }
      />
    </section>
  );
}
