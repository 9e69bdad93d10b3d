import { useEffect, useRef, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { onReconnect, subscribe } from '../../realtime/socket';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { MyInvitations } from './proposal-coauthors';
import { ProposalMap, type ProposalQuery } from './proposal-map';
import { type Proposal, type ProposalPage, type ProposalSort, PROPOSAL_SORTS, topicName } from './proposal-types';

/** What `municipality:{slug}:proposals` carries: the public view, or null once it left public view. */
interface ProposalLive {
  proposalId: string;
  proposal: Proposal | null;
}

/** One visitor keeps one random order for the visit (the API's seed makes it stable). */
function randomSeed(): string {
  const KEY = 'civic.proposals.seed';
  let seed = sessionStorage.getItem(KEY);
  if (!seed) {
    seed = crypto.randomUUID();
    sessionStorage.setItem(KEY, seed);
  }
  return seed;
}

export function useTopics(slug: string | undefined) {
  return useAsync(
    async () =>
      slug
        ? unwrap(await api.GET('/api/v1/municipalities/{slug}/proposal-topics', { params: { path: { slug } } })).items
        : [],
    [slug],
  );
}

/** A proposal in a list: its title, topic, state and supports. */
export function ProposalItem({ proposal }: { proposal: Proposal }) {
  const { t, locale } = useI18n();
  return (
    <li class="item" data-testid="proposal-item">
      <Link href={ROUTES.proposal(proposal.id)}>{proposal.title}</Link>{' '}
      <span class="badge">{t(`proposal.status.${proposal.status}`)}</span>
      <p class="muted">
        {proposal.topic && <>{topicName(proposal.topic, locale)} · </>}
        <span data-testid="support-count">{t('proposal.supports', { count: proposal.supportCount })}</span>
      </p>
    </li>
  );
}

/** The chosen town's proposals: search, a topic filter and the sorts. */
export function ProposalListScreen() {
  const { t, locale } = useI18n();
  const town = useTown();
  const session = useSession();
  const topics = useTopics(town?.slug);
  const [draftQuery, setDraftQuery] = useState('');
  const [q, setQ] = useState('');
  const [topicId, setTopicId] = useState('');
  const [sort, setSort] = useState<ProposalSort>('newest');
  const [more, setMore] = useState<Proposal[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);

  const question: ProposalQuery = { ...(q ? { q } : {}), ...(topicId ? { topicId } : {}), sort, ...(sort === 'random' ? { seed: randomSeed() } : {}) };
  const load = (after?: string) => {
    if (!town) return Promise.resolve<ProposalPage>({ items: [], nextCursor: null, seed: null });
    const query = { ...question, ...(after ? { cursor: after } : {}), limit: 20 };
    return api
      .GET('/api/v1/municipalities/{slug}/proposals', { params: { path: { slug: town.slug }, query } })
      .then((r) => unwrap(r));
  };
  const first = useAsync(() => load(), [town?.slug, q, topicId, sort]);
  useEffect(() => {
    setMore([]);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);

  async function loadMore() {
    if (!cursor) return;
    const page = await load(cursor);
    setMore((shown) => [...shown, ...page.items]);
    setCursor(page.nextCursor);
  }

  // The town's feed: a proposal shown changes in place (supports, state, answer), one that left
  // public view goes; a newly published one comes first in the newest list it belongs to, and
  // elsewhere (another sort, a search: its place is the API's to say) a button offers to reload.
  const [fresh, setFresh] = useState(false);
  const [live, setLive] = useState(false);
  const moreRef = useRef(more);
  moreRef.current = more;
  const shown = useRef({ question, first });
  shown.current = { question, first };
  useEffect(() => {
    if (!town) return;
    const stop = subscribe(
      `municipality:${town.slug}:proposals`,
      (event) => {
        const { proposalId, proposal } = event.data as ProposalLive;
        const { question: now, first: page } = shown.current;
        const replace = (list: Proposal[]) => list.map((item) => (item.id === proposalId && proposal ? { ...proposal, supportedByMe: item.supportedByMe } : item));
        const isShown = [...(page.data?.items ?? []), ...moreRef.current].some((item) => item.id === proposalId);
        if (!proposal) {
          page.set((data) => data && { ...data, items: data.items.filter((item) => item.id !== proposalId) });
          setMore((list) => list.filter((item) => item.id !== proposalId));
        } else if (isShown) {
          page.set((data) => data && { ...data, items: replace(data.items) });
          setMore(replace);
        } else if (event.type === 'proposals.published') {
          if (now.sort === 'newest' && !now.q && (!now.topicId || proposal.topic?.id === now.topicId)) {
            page.set((data) => data && { ...data, items: [proposal, ...data.items] });
          } else setFresh(true);
        }
      },
      setLive,
    );
    // Messages missed while away are not replayed: read the list again.
    const stopReconnect = onReconnect(() => shown.current.first.reload());
    return () => {
      stop();
      stopReconnect();
    };
  }, [town?.slug]);

  const items = [...(first.data?.items ?? []), ...more];
  return (
    <section class="card stack" aria-labelledby="proposals-title">
      <h1 id="proposals-title">{t('proposal.listTitle')}</h1>
      {!town && <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>}
      {town && session && <Link href={ROUTES.newProposal}>{t('proposal.write')}</Link>}
      {session && <MyInvitations />}
      {town && (
        <form
          role="search"
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draftQuery.trim());
          }}
        >
          <label>
            {t('proposal.search')}
            <input type="search" value={draftQuery} maxLength={200} onInput={(e) => setDraftQuery((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('proposal.searchButton')}</button>
          <label>
            {t('proposal.topic')}
            <select value={topicId} onChange={(e) => setTopicId((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('proposal.allTopics')}</option>
              {topics.data?.map((topic) => (
                <option key={topic.id} value={topic.id}>
                  {topicName(topic, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('proposal.sort')}
            <select value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as ProposalSort)}>
              {PROPOSAL_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`proposal.sort.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </form>
      )}
      {town && <ProposalMap slug={town.slug} query={question} />}
      {fresh && (
        <button
          type="button"
          data-testid="fresh-proposals"
          onClick={() => {
            setFresh(false);
            first.reload();
          }}
        >
          {t('proposal.list.fresh')}
        </button>
      )}
      {live && (
        <p class="muted" data-testid="list-live">
          {t('proposal.live')}
        </p>
      )}
      {first.loading && <Loading />}
      {first.error != null && <Failure error={first.error} onRetry={first.reload} />}
      {town && !first.loading && first.data && items.length === 0 && <p role="status">{q ? t('proposal.noMatch') : t('proposal.none')}</p>}
      <ul class="list" data-testid="proposals">
        {items.map((p) => (
          <ProposalItem key={p.id} proposal={p} />
        ))}
      </ul>
      {cursor && (
        <button type="button" onClick={() => void loadMore()}>
          {t('proposal.more')}
        </button>
      )}
    </section>
  );
}
