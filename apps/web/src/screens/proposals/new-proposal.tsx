import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { useTown } from '../../town';
import { useTopics } from './proposal-list';
import type { Proposal } from './proposal-types';
import { ProposalItem } from './proposal-list';

const TITLE_MAX = 150;
const BODY_MAX = 20_000;
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
        .then((r) => current && setItems((unwrap(r) as unknown as { items: Proposal[] }).items))
        .catch(() => current && setItems([]));
    }, SIMILAR_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [slug, title]);
  return items;
}

/** Write a proposal: title, Markdown body, topic; similar ones shown first; saved as a draft, then published from its page. */
export function NewProposalScreen() {
  const { t, locale } = useI18n();
  const town = useTown();
  const topics = useTopics(town?.slug);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [topicId, setTopicId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const similar = useSimilar(town?.slug ?? '', town ? title : '');

  if (!town) return <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>;

  async function save(event: Event) {
    event.preventDefault();
    if (!town) return;
    setBusy(true);
    setError(null);
    try {
      const created = unwrap(
        await api.POST('/api/v1/municipalities/{slug}/proposals', { params: { path: { slug: town.slug } }, body: { title: title.trim(), body, topicId } }),
      ) as unknown as Proposal;
      navigate(ROUTES.proposal(created.id));
    } catch (failure) {
      setError(describeError(failure, t));
      setBusy(false);
    }
  }

  const activeTopics = (topics.data ?? []).filter((topic) => topic.active !== false);
  return (
    <section class="card stack" aria-labelledby="new-proposal-title">
      <h1 id="new-proposal-title">{t('proposal.new.title')}</h1>
      <form class="stack" onSubmit={(e) => void save(e)}>
        <label>
          {t('proposal.new.titleField')}
          <input value={title} required minLength={3} maxLength={TITLE_MAX} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
        </label>
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
        <label>
          {t('proposal.new.body')}
          <textarea value={body} required minLength={10} maxLength={BODY_MAX} rows={8} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <p class="muted">{t('proposal.new.markdown')}</p>
        <label>
          {t('proposal.topic')}
          <select value={topicId} required onChange={(e) => setTopicId((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('proposal.new.chooseTopic')}</option>
            {activeTopics.map((topic) => (
              <option key={topic.id} value={topic.id}>
                {locale === 'en' ? topic.nameEn : topic.nameFr}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('proposal.new.save')}
        </button>
      </form>
    </section>
  );
}
