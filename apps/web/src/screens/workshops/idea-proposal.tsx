import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { useTopics } from '../proposals/proposal-list';
import { topicName } from '../proposals/proposal-types';

const TITLE_MAX = 150; // libs/proposals TITLE_MAX

/**
 * "Make it a proposal" on the participant's own note: `POST /workshop-ideas/:id/proposal` makes a
 * draft proposal of it in the town's list (asking is the author's consent; one proposal per
 * note — a second ask is answered with the first one's id, shown as the same link). The topics are
 * the chosen town's, the one whose workshops brought the person here.
 */
export function IdeaToProposal({ ideaId, text }: { ideaId: string; text: string }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(text.slice(0, TITLE_MAX));
  const [topicId, setTopicId] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null);
  const topics = useTopics(open ? town?.slug : undefined);
  const active = (topics.data ?? []).filter((topic) => topic.active !== false);

  if (created) {
    return (
      <p role="status" class="notice" data-testid="idea-proposal-created">
        {t('workshopIdea.created')} <Link href={ROUTES.proposal(created.id)}>{t('workshopIdea.open', { title: created.title })}</Link>
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t('workshopIdea.make')}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.POST('/api/v1/workshop-ideas/{ideaId}/proposal', {
        params: { path: { ideaId } },
        body: { title: title.trim(), topicId, ...(body.trim() ? { body: body.trim() } : {}) },
      });
      const refusal = result.error as { code?: string; meta?: { proposalId?: string } } | undefined;
      if (refusal?.code === 'PROPOSAL_IDEA_ALREADY_PROPOSED' && refusal.meta?.proposalId) {
        setCreated({ id: refusal.meta.proposalId, title: title.trim() });
        return;
      }
      const proposal = unwrap(result) as unknown as { id: string; title: string };
      setCreated({ id: proposal.id, title: proposal.title });
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack panel" data-testid="idea-proposal-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('workshopIdea.title')}
        <input type="text" required minLength={3} maxLength={TITLE_MAX} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {topics.data && active.length === 0 && <p class="muted">{t('workshopIdea.noTopics')}</p>}
      <label>
        {t('workshopIdea.topic')}
        <select required value={topicId} onChange={(e) => setTopicId((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">—</option>
          {active.map((topic) => (
            <option key={topic.id} value={topic.id}>
              {topicName(topic, locale)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('workshopIdea.body')}
        <textarea rows={4} minLength={10} maxLength={20000} value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !topicId || title.trim().length < 3}>
          {t('workshopIdea.create')}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('workshopIdea.cancel')}
        </button>
      </div>
    </form>
  );
}
