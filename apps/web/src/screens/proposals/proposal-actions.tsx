import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import type { Proposal, SupportResult } from './proposal-types';

/** Support, or take the support back; the count shown is the one the API answers. */
export function SupportButton({ proposal, onChange }: { proposal: Proposal; onChange(result: SupportResult): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const params = { params: { path: { id: proposal.id } } };
      const result = proposal.supportedByMe ? await api.DELETE('/api/v1/proposals/{id}/support', params) : await api.POST('/api/v1/proposals/{id}/support', params);
      onChange(unwrap(result));
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" disabled={busy} aria-pressed={proposal.supportedByMe} onClick={() => void toggle()}>
        {proposal.supportedByMe ? t('proposal.unsupport') : t('proposal.support')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </>
  );
}

/** Publishing a draft: its author's last step (the API may hold it for review). */
export function PublishButton({ proposal, onDone }: { proposal: Proposal; onDone(p: Proposal): void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  async function publish() {
    setError(null);
    try {
      onDone(unwrap(await api.POST('/api/v1/proposals/{id}/publish', { params: { path: { id: proposal.id } } })));
    } catch (failure) {
      setError(describeError(failure, t));
    }
  }
  return (
    <>
      <button type="button" onClick={() => void publish()}>
        {t('proposal.publish')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </>
  );
}

/** Withdrawing, with the reason shown on the page from then on; asked for in a small form first. */
export function WithdrawForm({ proposal, onDone }: { proposal: Proposal; onDone(p: Proposal): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function withdraw(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      onDone(unwrap(await api.POST('/api/v1/proposals/{id}/withdraw', { params: { path: { id: proposal.id } }, body: { reason: reason.trim() } })));
    } catch (failure) {
      setError(describeError(failure, t));
    }
  }
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('proposal.withdraw')}
      </button>
    );
  return (
    <form class="stack" onSubmit={(e) => void withdraw(e)}>
      <label>
        {t('proposal.withdraw.reason')}
        <textarea value={reason} required minLength={3} maxLength={1000} rows={2} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit">{t('proposal.withdraw.confirm')}</button>
    </form>
  );
}
