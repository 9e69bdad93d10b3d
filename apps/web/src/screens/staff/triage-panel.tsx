import { useState } from 'preact/hooks';
import { api, ApiError, type Category, type Report, type ReportStatus, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { StatusBadge } from '../../components/report-status';
import { Timeline } from '../../components/timeline';
import { type MessageKey, useI18n } from '../../i18n';
import { type Member, MergeForm, SlaCountdown } from './triage-tools';

const STATUSES: ReportStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const REASONS = ['duplicate', 'not_responsible', 'invalid', 'spam'] as const;

/** The staff-only part of a report view (libs/reports report-view). */
export interface StaffView {
  priority?: (typeof PRIORITIES)[number];
  department?: string | null;
  claimedBy?: { userId: string; name: string | null } | null;
  reporter?: { name: string; email: string } | null;
  assignee?: { id: string; name: string | null } | null;
  resolveDueAt?: string | null;
  acknowledgeDueAt?: string | null;
  overdue?: boolean;
}

export function staffOf(report: Report): StaffView {
  return (report.staff ?? {}) as StaffView;
}

/**
 * Changing a report from the board. The version sent (If-Match) is the one shown when the
 * report was opened, not the latest live copy: a change made meanwhile by someone else is a 409
 * STALE_VERSION, shown as "changed by X" with a reload, never silently overwritten.
 */
export function TriagePanel({
  report,
  onSaved,
  staffMembers = [],
  candidates = [],
  categories = [],
  heldBy = null,
}: {
  report: Report;
  onSaved: (report: Report) => void;
  /** Who it can be assigned to (the town's staff). */
  staffMembers?: Member[];
  /** Reports it may be merged into (the queue shown). */
  candidates?: Report[];
  /** The town's categories, to re-categorise (deadlines and department follow on the server). */
  categories?: Category[];
  /** Who holds the claim this board's own claim was refused for, if anyone. */
  heldBy?: string | null;
}) {
  const { t, locale } = useI18n();
  const [seen, setSeen] = useState(report);
  const [status, setStatus] = useState<ReportStatus>(report.status);
  const [priority, setPriority] = useState(staffOf(report).priority ?? 'normal');
  const [assignee, setAssignee] = useState(staffOf(report).assignee?.id ?? '');
  const [department, setDepartment] = useState(staffOf(report).department ?? '');
  const [categoryCode, setCategoryCode] = useState(report.category.code);
  const [reason, setReason] = useState<(typeof REASONS)[number]>('invalid');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'conflict'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [updateMessage, setUpdateMessage] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<'internal' | 'public'>('internal');
  // Refetched whenever the report changes (here or live), so staff see every step.
  const timeline = useAsync(async () => unwrap(await api.GET('/api/v1/reports/{id}/timeline', { params: { path: { id: report.id } } })), [report.id, report.version]);

  const postUpdate = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    try {
      unwrap(
        await api.POST('/api/v1/reports/{id}/updates', {
          params: { path: { id: report.id } },
          body: { message: String(data.get('message')), visibility },
        }),
      );
      form.reset();
      setUpdateMessage(t('triage.updatePosted'));
      timeline.reload();
    } catch (error) {
      setUpdateMessage(describeError(error, t));
    }
  };

  const reload = async () => {
    const fresh = unwrap(await api.GET('/api/v1/reports/{id}', { params: { path: { id: report.id } } }));
    setSeen(fresh);
    setStatus(fresh.status);
    setPriority(staffOf(fresh).priority ?? 'normal');
    setAssignee(staffOf(fresh).assignee?.id ?? '');
    setDepartment(staffOf(fresh).department ?? '');
    setCategoryCode(fresh.category.code);
    setMessage(null);
    onSaved(fresh);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const body: Record<string, unknown> = {};
    if (status !== seen.status) body.status = status;
    if (status === 'rejected' && status !== seen.status) body.reason = reason;
    if (priority !== (staffOf(seen).priority ?? 'normal')) body.priority = priority;
    if (assignee !== (staffOf(seen).assignee?.id ?? '')) body.assigneeId = assignee || null;
    if (categoryCode !== seen.category.code) body.categoryCode = categoryCode;
    // Re-categorising sets the category's department on the server; a department typed here wins.
    if (department.trim() !== (staffOf(seen).department ?? '')) body.department = department.trim() || null;
    try {
      const saved = unwrap(
        await api.PATCH('/api/v1/reports/{id}/triage', {
          params: { path: { id: report.id }, header: { 'If-Match': `"${seen.version}"` } },
          body: body as never,
        }),
      );
      setSeen(saved);
      setDepartment(staffOf(saved).department ?? '');
      setCategoryCode(saved.category.code);
      setMessage({ kind: 'ok', text: t('triage.saved') });
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'STALE_VERSION') {
        setMessage({ kind: 'conflict', text: t('triage.conflict', { name: await lastChangedBy(report.id, t('triage.conflictSomeone')) }) });
      } else {
        setMessage({ kind: 'error', text: describeError(error, t) });
      }
    } finally {
      setBusy(false);
    }
  };

  const staff = staffOf(seen);
  // The departments the town already uses (its categories' and its staff's), offered while typing.
  const departments = [...new Set([...categories.map((c) => c.department), ...staffMembers.map((m) => m.department)].filter((d): d is string => !!d))].sort();
  return (
    <section class="panel" aria-labelledby="panel-title" data-testid="triage-panel">
      <h2 id="panel-title">
        {seen.number} <StatusBadge status={seen.status} />
      </h2>
      <p>
        <strong>{seen.category.name[locale] ?? seen.category.code}</strong> — {seen.description}
      </p>
      <p class="muted">
        {staff.reporter?.name ?? t('report.anonymousReporter')}
        {staff.resolveDueAt ? ` · ${t('triage.due', { date: new Date(staff.resolveDueAt).toLocaleString(locale) })}` : ''}
      </p>
      {heldBy && (
        <p role="status" class="notice" data-testid="claim-refused">
          {t('triage.claimRefused', { name: heldBy })}
        </p>
      )}
      <p>
        {t('sla.title')} <SlaCountdown dueAt={seen.status === 'new' ? (staff.acknowledgeDueAt ?? staff.resolveDueAt) : staff.resolveDueAt} />
      </p>
      <form onSubmit={save} class="stack">
        <label>
          {t('triage.status')}
          <select name="status" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as ReportStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {status === 'rejected' && status !== seen.status && (
          <label>
            {t('triage.reason')}
            <select name="reason" value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as typeof reason)}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('triage.priority')}
          <select name="priority" value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value as typeof priority)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.assignee')}
          <select name="assignee" value={assignee} onChange={(e) => setAssignee((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('triage.unassigned')}</option>
            {/* The current assignee stays listed even if the members list has not loaded yet. */}
            {staff.assignee && !staffMembers.some((m) => m.userId === staff.assignee!.id) && <option value={staff.assignee.id}>{staff.assignee.name ?? '?'}</option>}
            {staffMembers.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.category')}
          <select name="category" value={categoryCode} onChange={(e) => setCategoryCode((e.currentTarget as HTMLSelectElement).value)}>
            {!categories.some((c) => c.code === seen.category.code) && <option value={seen.category.code}>{seen.category.name[locale] ?? seen.category.code}</option>}
            {categories
              .filter((c) => c.active || c.code === seen.category.code)
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name[locale] ?? c.code}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('triage.department')}
          <input name="department" type="text" maxLength={100} list="triage-departments" value={department} onInput={(e) => setDepartment((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <datalist id="triage-departments">
          {departments.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <button type="submit" class="primary" disabled={busy}>
          {t('triage.save')}
        </button>
      </form>
      {message && (
        <div role={message.kind === 'ok' ? 'status' : 'alert'} class={`notice ${message.kind === 'ok' ? '' : 'notice-error'}`} data-testid={`triage-${message.kind}`}>
          <p>{message.text}</p>
          {message.kind === 'conflict' && (
            <button type="button" onClick={() => void reload()}>
              {t('triage.reload')}
            </button>
          )}
        </div>
      )}
      <form onSubmit={postUpdate} class="stack">
        <label>
          {t('triage.update')}
          <textarea name="message" required maxLength={5000} rows={2} />
        </label>
        <fieldset>
          <legend>{t('triage.visibility')}</legend>
          <label class="inline">
            <input type="radio" name="visibility" value="internal" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} /> {t('triage.internal')}
          </label>
          <label class="inline">
            <input type="radio" name="visibility" value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> {t('triage.public')}
          </label>
        </fieldset>
        <button type="submit">{t('triage.post')}</button>
        {updateMessage && <p role="status">{updateMessage}</p>}
      </form>
      <MergeForm
        report={seen}
        candidates={candidates}
        onMerged={(source, target) => {
          setSeen(source);
          setStatus(source.status);
          onSaved(source);
          onSaved(target);
        }}
      />
      <h3>{t('report.timeline')}</h3>
      {timeline.data && <Timeline entries={timeline.data} />}
    </section>
  );
}

/** Who made the latest change, from the report's timeline (staff see every entry's author). */
async function lastChangedBy(id: string, fallback: string): Promise<string> {
  try {
    const entries = unwrap(await api.GET('/api/v1/reports/{id}/timeline', { params: { path: { id } } }));
    const last = [...entries].reverse().find((e) => e.authorName);
    return last?.authorName ?? fallback;
  } catch {
    return fallback;
  }
}
