import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Report, type Schemas, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { type Translate, useI18n } from '../../i18n';

export type Member = Schemas['MembershipResponseDto'];

/** The town's staff (and admins), who reports can be assigned to. Staff may read the list. */
export function useAssignableStaff(slug: string) {
  return useAsync(async () => {
    const people: Member[] = [];
    let cursor: string | undefined;
    // A town has tens of staff, not thousands: follow the pages to the end.
    for (let page = 0; page < 20; page++) {
      const answer = unwrap(await api.GET('/api/v1/municipalities/{slug}/members', { params: { path: { slug }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      people.push(...answer.items.filter((m) => m.roles.includes('staff') || m.roles.includes('admin')));
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    return people.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [slug]);
}

/** "in 2 h 05 min" / "3 h 10 min late": the time left to a deadline, in words. */
export function timeLeft(dueAt: string, now: number, t: Translate): { text: string; late: boolean } {
  const ms = new Date(dueAt).getTime() - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const span = days > 0 ? t('sla.days', { days, hours }) : hours > 0 ? t('sla.hours', { hours, minutes: String(mins).padStart(2, '0') }) : t('sla.minutes', { minutes: mins });
  return ms >= 0 ? { text: t('sla.left', { span }), late: false } : { text: t('sla.late', { span }), late: true };
}

/** The service-level countdown: ticks every 30 s (minutes are its unit), red once late. */
export function SlaCountdown({ dueAt }: { dueAt: string | null | undefined }) {
  const { t, locale } = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!dueAt) return <span class="muted">{t('sla.none')}</span>;
  const left = timeLeft(dueAt, now, t);
  return (
    <span class={`badge ${left.late ? 'sla-late' : 'sla-ok'}`} data-testid="sla-countdown" title={new Date(dueAt).toLocaleString(locale)}>
      {left.text}
    </span>
  );
}

/**
 * Merging this report into the one it duplicates: supporters, reporter and photos join the
 * target; this one is rejected as a duplicate. The versions shown are sent, so a change made
 * meanwhile on either is a 409 rather than a merge of something nobody saw.
 */
export function MergeForm({ report, candidates, onMerged }: { report: Report; candidates: Report[]; onMerged: (source: Report, target: Report) => void }) {
  const { t, locale } = useI18n();
  const others = candidates.filter((r) => r.id !== report.id && !['rejected', 'withdrawn', 'closed'].includes(r.status));
  const [into, setInto] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const merge = async (event: Event) => {
    event.preventDefault();
    const target = others.find((r) => r.id === into);
    if (!target) return;
    try {
      const answer = unwrap(
        await api.POST('/api/v1/reports/{id}/merge', {
          params: { path: { id: report.id }, header: { 'If-Match': `"${report.version}"` } },
          body: { intoId: target.id, intoVersion: target.version },
        }),
      );
      setMessage({ ok: true, text: t('merge.done', { number: target.number }) });
      onMerged(answer.source, answer.target);
    } catch (failure) {
      setMessage({ ok: false, text: failure instanceof ApiError && failure.code === 'STALE_VERSION' ? t('merge.stale') : describeError(failure, t) });
    }
  };
  if (others.length === 0) return null;
  return (
    <form onSubmit={(e) => void merge(e)} class="stack" aria-labelledby={`merge-${report.id}`}>
      <h3 id={`merge-${report.id}`}>{t('merge.title')}</h3>
      <label>
        {t('merge.into')}
        <select value={into} onChange={(e) => setInto((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('merge.choose')}</option>
          {others.map((r) => (
            <option key={r.id} value={r.id}>
              {r.number} — {r.category.name[locale] ?? r.category.code} — {r.description.slice(0, 60)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!into}>
        {t('merge.submit')}
      </button>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={`notice${message.ok ? '' : ' notice-error'}`}>
          {message.text}
        </p>
      )}
    </form>
  );
}
