import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Report, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { keepNewest, newer, StatusBadge } from '../../components/report-status';
import { type MessageKey, useI18n } from '../../i18n';
import { currentUserId } from '../../api/session';
import { command, onPresence, onReconnect, subscribe } from '../../realtime/socket';
import { staffOf, TriagePanel } from './triage-panel';
import { BulkBar } from './triage-bulk';
import { SlaCountdown, useAssignableStaff } from './triage-tools';
import { Link } from '../../components/link';
import { ROUTES } from '../../router';

interface Filters {
  status: string;
  category: string;
  priority: string;
  sort: 'age' | 'priority' | 'due';
  /** '' any, 'me' assigned to me, 'none' to nobody. */
  assignee: string;
  /** '' any, 'true' past the next deadline, 'false' within it. */
  overdue: string;
  /** The API's text search (description, address, "#number"). */
  q: string;
}

const STATUS_FILTERS = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected', 'withdrawn'];

function matches(report: Report, filters: Filters, me: string | null): boolean {
  // A search is the server's (stemming, accents): a live report joins a searched queue on its next load.
  if (filters.q) return false;
  const assignee = staffOf(report).assignee?.id ?? null;
  if (filters.assignee === 'me' && assignee !== me) return false;
  if (filters.assignee === 'none' && assignee !== null) return false;
  if (filters.overdue && String(staffOf(report).overdue ?? false) !== filters.overdue) return false;
  if (filters.status && report.status !== filters.status) return false;
  if (filters.category && report.category.code !== filters.category) return false;
  if (filters.priority && staffOf(report).priority !== filters.priority) return false;
  return true;
}

/** The staff board of a town: its queue with filters, live (`municipality:{slug}:triage`). */
export function TriageBoard({ slug }: { slug: string }) {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>({ status: '', category: '', priority: '', sort: 'age', assignee: '', overdue: '', q: '' });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [live, setLive] = useState(false);
  // Who is on which report right now (claims), from the queue and then from presence messages.
  const [claims, setClaims] = useState<Map<string, string>>(new Map());
  // The report whose claim this board asked for and was refused, and who holds it.
  const [refusedClaim, setRefusedClaim] = useState<{ reportId: string; name: string } | null>(null);
  const me = currentUserId();
  // Reports ticked for a bulk change (ids; the versions sent are those of the queue shown).
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const staffMembers = useAssignableStaff(slug);
  const town = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug } } })), [slug]);
  const categories = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/categories', { params: { path: { slug } } })), [slug]);
  const queue = useAsync(
    async () =>
      unwrap(
        await api.GET('/api/v1/municipalities/{slug}/triage', {
          params: {
            path: { slug },
            query: {
              limit: 100,
              sort: filters.sort,
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.category ? { category: filters.category } : {}),
              ...(filters.priority ? { priority: filters.priority as 'low' } : {}),
              ...(filters.assignee ? { assignee: filters.assignee } : {}),
              ...(filters.overdue ? { overdue: filters.overdue as 'true' } : {}),
              ...(filters.q ? { q: filters.q } : {}),
            },
          },
        }),
      ).items,
    [slug, filters.status, filters.category, filters.priority, filters.sort, filters.assignee, filters.overdue, filters.q],
    keepNewest,
  );

  const upsert = (incoming: Report, created: boolean) =>
    queue.set((list) => {
      if (!list) return list;
      const index = list.findIndex((r) => r.id === incoming.id);
      if (index >= 0) {
        const next = list.slice();
        next[index] = newer(list[index], incoming);
        return next;
      }
      return created && matches(incoming, filters, me) ? [incoming, ...list] : list;
    });

  useEffect(
    () =>
      subscribe(`municipality:${slug}:triage`, (event) => {
        const incoming = (event.data as { report?: Report } | null)?.report;
        if (!incoming) return;
        const created = event.type === 'report.created';
        if (created) setFresh((set) => new Set(set).add(incoming.id));
        upsert(incoming, created);
      }, setLive),
    [slug, filters.status, filters.category, filters.priority, filters.assignee, filters.overdue, filters.q],
  );
  useEffect(() => onReconnect(queue.reload), []);

  useEffect(() => {
    const known = new Map<string, string>();
    for (const r of queue.data ?? []) {
      const holder = staffOf(r).claimedBy;
      if (holder && holder.userId !== me) known.set(r.id, holder.name ?? '?');
    }
    setClaims(known);
  }, [queue.data === null, queue.loading]);

  useEffect(
    () =>
      onPresence((message) => {
        if (message.topic !== `municipality:${slug}:triage` || message.action === 'viewing' || message.by.userId === me) return;
        if (message.action === 'released') setRefusedClaim((refused) => (refused?.reportId === message.subjectId ? null : refused));
        setClaims((current) => {
          const next = new Map(current);
          if (message.action === 'claimed') next.set(message.subjectId, message.by.name ?? '?');
          else next.delete(message.subjectId);
          return next;
        });
      }),
    [slug],
  );

  // Opening a report claims it for the others on the board; leaving it releases it.
  useEffect(() => {
    if (!selected || !live) return;
    const body = { reportId: selected, topic: `municipality:${slug}:triage` };
    setRefusedClaim(null);
    // A refusal is the gateway's error ack: CLAIMED_BY_OTHER with the holder in `meta.claimedBy`.
    type ClaimAck = { ok: boolean; error?: { code: string; meta?: { claimedBy?: { name: string | null } } } };
    void command<ClaimAck>('claim', body).then((ack) => {
      const holder = ack?.error?.code === 'CLAIMED_BY_OTHER' ? ack.error.meta?.claimedBy : undefined;
      if (holder) setRefusedClaim({ reportId: selected, name: holder.name ?? '?' });
    });
    return () => void command('release', body);
  }, [selected, live]);

  const setFilter = (name: keyof Filters) => (event: Event) => setFilters((f) => ({ ...f, [name]: (event.currentTarget as HTMLSelectElement).value }));

  if (queue.error instanceof ApiError && (queue.error.status === 403 || queue.error.status === 401)) {
    return (
      <p role="alert" class="notice notice-error">
        {t('triage.forbidden')}
      </p>
    );
  }
  const current = queue.data?.find((r) => r.id === selected) ?? null;

  return (
    <section class="board" aria-labelledby="board-title">
      <h1 id="board-title">
        {t('triage.title', { town: town.data?.name ?? slug })}{' '}
        {live && (
          <span class="badge live" data-testid="live">
            {t('triage.live')}
          </span>
        )}
      </h1>
      <p class="actions">
        <Link href={ROUTES.triageStats(slug)}>{t('stats.link')}</Link>
      </p>
      <form
        class="filters"
        aria-label={t('triage.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters((f) => ({ ...f, q: search.trim() }));
        }}
      >
        <label>
          {t('triage.filter.status')}
          <select value={filters.status} onChange={setFilter('status')}>
            <option value="">{t('triage.any')}</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.filter.category')}
          <select value={filters.category} onChange={setFilter('category')}>
            <option value="">{t('triage.any')}</option>
            {categories.data?.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name[locale] ?? c.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.filter.priority')}
          <select value={filters.priority} onChange={setFilter('priority')}>
            <option value="">{t('triage.any')}</option>
            {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.filter.sort')}
          <select value={filters.sort} onChange={setFilter('sort')}>
            <option value="age">{t('triage.sort.age')}</option>
            <option value="priority">{t('triage.sort.priority')}</option>
            <option value="due">{t('triage.sort.due')}</option>
          </select>
        </label>
        <label>
          {t('triage.filter.assignee')}
          <select value={filters.assignee} onChange={setFilter('assignee')}>
            <option value="">{t('triage.any')}</option>
            <option value="me">{t('triage.filter.assignee.me')}</option>
            <option value="none">{t('triage.unassigned')}</option>
          </select>
        </label>
        <label>
          {t('triage.filter.overdue')}
          <select value={filters.overdue} onChange={setFilter('overdue')}>
            <option value="">{t('triage.any')}</option>
            <option value="true">{t('triage.filter.overdue.late')}</option>
            <option value="false">{t('triage.filter.overdue.onTime')}</option>
          </select>
        </label>
        <label>
          {t('triage.filter.q')}
          <input type="search" value={search} maxLength={200} onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('triage.filter.search')}</button>
      </form>
      <div class="board-columns">
        <div class="queue">
          <h2>{t('triage.queue')}</h2>
          {queue.loading && !queue.data && <Loading />}
          {queue.error != null && <Failure error={queue.error} onRetry={queue.reload} />}
          {queue.data?.length === 0 && <p>{t('triage.empty')}</p>}
          <BulkBar
            slug={slug}
            chosen={(queue.data ?? []).filter((r) => chosen.has(r.id))}
            staffMembers={staffMembers.data ?? []}
            onDone={(saved) => {
              for (const r of saved) upsert(r, false);
              setChosen(new Set());
            }}
          />
          <ul class="list" data-testid="triage-queue">
            {queue.data?.map((report) => (
              <li key={report.id} data-report-id={report.id} class={`item with-check${report.id === selected ? ' selected' : ''}`}>
                <input
                  type="checkbox"
                  class="pick"
                  checked={chosen.has(report.id)}
                  aria-label={t('bulk.pick', { number: report.number })}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    setChosen((set) => {
                      const next = new Set(set);
                      if (on) next.add(report.id);
                      else next.delete(report.id);
                      return next;
                    });
                  }}
                />
                <button type="button" class="row" aria-pressed={report.id === selected} onClick={() => setSelected(report.id)}>
                  <span class="row-main">
                    {fresh.has(report.id) && <span class="badge fresh">{t('triage.new')}</span>} <strong>{report.number}</strong>{' '}
                    {report.category.name[locale] ?? report.category.code} — {report.description}
                    {claims.has(report.id) && (
                      <span class="badge claimed" data-testid="claimed">
                        {t('triage.claimedBy', { name: claims.get(report.id) ?? '' })}
                      </span>
                    )}
                  </span>
                  <StatusBadge status={report.status} />
                  <span class={`badge priority-${staffOf(report).priority ?? 'normal'}`}>{t(`priority.${staffOf(report).priority ?? 'normal'}`)}</span>
                  {staffOf(report).resolveDueAt && <SlaCountdown dueAt={staffOf(report).resolveDueAt} />}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div class="detail">{current ? <TriagePanel key={current.id} report={current} onSaved={(r) => upsert(r, false)} staffMembers={staffMembers.data ?? []} candidates={queue.data ?? []}
                categories={categories.data ?? []}
                heldBy={refusedClaim?.reportId === current.id ? refusedClaim.name : null}
              /> : <p class="muted">{t('triage.select')}</p>}</div>
      </div>
    </section>
  );
}
