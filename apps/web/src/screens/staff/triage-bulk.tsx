import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Report, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { type MessageKey, useI18n } from '../../i18n';
import type { Member } from './triage-tools';

const BULK_STATUSES = ['acknowledged', 'in_progress', 'resolved', 'closed'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * One change to several reports at once (`POST …/triage/bulk`): status, priority or assignee.
 * Each report goes with the version shown; one changed meanwhile makes the whole lot a 409 and
 * nothing is applied (the API's rule), which the bar says with the report's number.
 */
export function BulkBar({ slug, chosen, staffMembers, onDone }: { slug: string; chosen: Report[]; staffMembers: Member[]; onDone: (saved: Report[]) => void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const [assignee, setAssignee] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // A new selection starts without the previous outcome; the outcome stays in view once the selection is cleared.
  const selecting = chosen.length > 0;
  useEffect(() => {
    if (selecting) setMessage(null);
  }, [selecting]);
  const outcome = message && (
    <p role={message.ok ? 'status' : 'alert'} class={`notice${message.ok ? '' : ' notice-error'}`} data-testid="bulk-message">
      {message.text}
    </p>
  );
  if (!selecting) return outcome || null;

  const apply = async (event: Event) => {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    if (status) changes.status = status;
    if (priority) changes.priority = priority;
    if (assignee) changes.assigneeId = assignee === 'none' ? null : assignee;
    if (Object.keys(changes).length === 0) return;
    setBusy(true);
    setMessage(null);
    try {
      const answer = unwrap(
        await api.POST('/api/v1/municipalities/{slug}/triage/bulk', {
          params: { path: { slug } },
          body: { items: chosen.map((r) => ({ id: r.id, version: r.version })), changes: changes as never },
        }),
      );
      setMessage({ ok: true, text: t('bulk.done', { count: answer.items.length }) });
      setStatus('');
      setPriority('');
      setAssignee('');
      onDone(answer.items);
    } catch (failure) {
      setMessage({ ok: false, text: failure instanceof ApiError && failure.status === 409 ? t('bulk.stale') : describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="bulk" onSubmit={(e) => void apply(e)} aria-label={t('bulk.title')} data-testid="bulk-bar">
      <p>
        <strong>{t('bulk.selected', { count: chosen.length })}</strong>
      </p>
      <label>
        {t('triage.status')}
        <select value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('bulk.keep')}</option>
          {BULK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('triage.priority')}
        <select value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('bulk.keep')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('triage.assignee')}
        <select value={assignee} onChange={(e) => setAssignee((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('bulk.keep')}</option>
          <option value="none">{t('triage.unassigned')}</option>
          {staffMembers.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.displayName}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={busy || (!status && !priority && !assignee)}>
        {t('bulk.apply', { count: chosen.length })}
      </button>
      {outcome}
    </form>
  );
}
