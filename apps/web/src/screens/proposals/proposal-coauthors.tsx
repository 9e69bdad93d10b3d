import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import type { Proposal } from './proposal-types';

async function myInvitations(): Promise<Proposal[]> {
  return unwrap(await api.GET('/api/v1/me/proposal-invitations')).items;
}

/** The proposals the signed-in person is invited to co-sign and has not answered (nothing when none). */
export function MyInvitations() {
  const { t } = useI18n();
  const invitations = useAsync(myInvitations, []);
  if (!invitations.data?.length) return null;
  return (
    <section aria-labelledby="invitations-title" class="notice" data-testid="invitations">
      <h2 id="invitations-title">{t('proposal.invitations')}</h2>
      <ul class="list">
        {invitations.data.map((p) => (
          <li key={p.id} class="item">
            <Link href={ROUTES.proposal(p.id)}>{p.title}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** On a proposal's page, the invitee's answer: accept (then shown as co-author) or decline. */
export function InvitationAnswer({ proposalId, onAnswered }: { proposalId: string; onAnswered(accepted: boolean): void }) {
  const { t } = useI18n();
  const invited = useAsync(async () => (await myInvitations()).some((p) => p.id === proposalId), [proposalId]);
  const [outcome, setOutcome] = useState<'accepted' | 'declined' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const answer = async (accept: boolean) => {
    setError(null);
    try {
      const params = { params: { path: { id: proposalId } } };
      unwrap(accept ? await api.POST('/api/v1/proposals/{id}/coauthors/accept', params) : await api.POST('/api/v1/proposals/{id}/coauthors/decline', params));
      setOutcome(accept ? 'accepted' : 'declined');
      onAnswered(accept);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };
  if (outcome)
    return (
      <p role="status" class="notice">
        {outcome === 'accepted' ? t('proposal.invitation.accepted') : t('proposal.invitation.declined')}
      </p>
    );
  if (!invited.data) return null;
  return (
    <section class="notice stack" aria-labelledby="invitation-title" data-testid="invitation">
      <p id="invitation-title">
        <strong>{t('proposal.invitation')}</strong>
      </p>
      <div class="actions">
        <button type="button" onClick={() => void answer(true)}>
          {t('proposal.invitation.accept')}
        </button>
        <button type="button" onClick={() => void answer(false)}>
          {t('proposal.invitation.decline')}
        </button>
      </div>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * The co-authors who accepted; for the author, an invitation to co-sign. The API invites by
 * account id and offers residents no directory of people (only admins look people up, by exact
 * e-mail): the author picks among the people who commented on the proposal, whose ids the
 * comments carry.
 */
export function Coauthors({ proposal, isAuthor }: { proposal: Proposal; isAuthor: boolean }) {
  const { t } = useI18n();
  const candidates = useAsync(async () => {
    if (!isAuthor) return [];
    const comments = unwrap(await api.GET('/api/v1/{collection}/{id}/comments', { params: { path: { collection: 'proposals', id: proposal.id } } })).items;
    const signing = new Set([proposal.author?.id, ...proposal.coauthors.map((c) => c.id)]);
    const people = new Map<string, string>();
    for (const c of comments) if (c.author && !signing.has(c.author.id)) people.set(c.author.id, c.author.displayName);
    return [...people].map(([id, displayName]) => ({ id, displayName }));
  }, [proposal.id, isAuthor, proposal.coauthors.length]);
  const [chosen, setChosen] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const invite = async (event: Event) => {
    event.preventDefault();
    const person = candidates.data?.find((c) => c.id === chosen);
    if (!person) return;
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/proposals/{id}/coauthors', { params: { path: { id: proposal.id } }, body: { userId: person.id } }));
      setNotice(t('proposal.coauthors.sent', { name: person.displayName }));
      setChosen('');
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  return (
    <section aria-labelledby="coauthors-title">
      <h2 id="coauthors-title">{t('proposal.coauthors')}</h2>
      {proposal.coauthors.length === 0 ? (
        <p class="muted">{t('proposal.coauthors.none')}</p>
      ) : (
        <ul class="list" data-testid="coauthors">
          {proposal.coauthors.map((c) => (
            <li key={c.id} class="item">
              {c.displayName}
            </li>
          ))}
        </ul>
      )}
      {isAuthor &&
        (candidates.data?.length ? (
          <form class="stack" onSubmit={(e) => void invite(e)}>
            <label>
              {t('proposal.coauthors.invite')}
              <select value={chosen} required onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{t('proposal.coauthors.choose')}</option>
                {candidates.data.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.displayName}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t('proposal.coauthors.send')}</button>
          </form>
        ) : (
          candidates.data && <p class="muted">{t('proposal.coauthors.nobody')}</p>
        ))}
      {isAuthor && <InviteByEmail proposalId={proposal.id} onSent={(email) => setNotice(t('proposal.coauthors.sent', { name: email }))} />}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * The author types a co-author's e-mail address: the API finds only verified residents of the town
 * (audited, rate-limited), and says UNKNOWN_PERSON on `email` for anyone else.
 */
function InviteByEmail({ proposalId, onSent }: { proposalId: string; onSent(email: string): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);

  const send = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/proposals/{id}/coauthors/by-email', { params: { path: { id: proposalId } }, body: { email: email.trim() } }));
      onSent(email.trim());
      setEmail('');
    } catch (failure) {
      const unknown = failure instanceof ApiError && failure.status === 422 && JSON.stringify(failure.details).includes('UNKNOWN_PERSON');
      setError(unknown ? t('proposal.coauthors.emailUnknown') : describeError(failure, t));
    }
  };

  return (
    <form class="stack" onSubmit={(e) => void send(e)}>
      <label>
        {t('proposal.coauthors.email')}
        <input type="email" value={email} required maxLength={254} autoComplete="off" aria-invalid={error ? 'true' : undefined} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit">{t('proposal.coauthors.emailSend')}</button>
      {error && (
        <p role="alert" class="notice notice-error" data-testid="invite-email-error">
          {error}
        </p>
      )}
    </form>
  );
}
