import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { QuotaTable } from './panel-page';
import { DrawRuns, MemberHistory } from './panel-draw-records';
import { ResponseRatesTable, TermAndRotation } from './panel-term';
import { PoolImport } from './pool-import';
import { labelOf, type Panel, percent, type SelectionProbabilities } from './panel-types';

/**
 * The fairness report: each pool member's chance of a seat under the maximin lottery, the
 * smallest of them and the proven bound on the best possible smallest. Computed on demand:
 * the solver can take seconds on a large pool.
 */
function FairnessReport({ panelId }: { panelId: string }) {
  const { t, locale } = useI18n();
  const [report, setReport] = useState<SelectionProbabilities | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function load() {
    setBusy(true);
    setError(null);
    try {
      setReport(unwrap(await api.GET('/api/v1/panels/{id}/selection-probabilities', { params: { path: { id: panelId } } })));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  const sorted = report ? [...report.probabilities].sort((a, b) => a.probability - b.probability || a.id.localeCompare(b.id)) : [];
  return (
    <section aria-labelledby="fairness-title" class="detail">
      <h2 id="fairness-title">{t('draw.fairness.title')}</h2>
      <p class="muted">{t('draw.fairness.hint')}</p>
      <button type="button" onClick={() => void load()} disabled={busy}>
        {report ? t('draw.fairness.again') : t('draw.fairness.compute')}
      </button>
      {busy && <Loading />}
      {error != null && <Failure error={error} />}
      {report && (
        <div data-testid="fairness">
          <dl>
            <dt>{t('draw.fairness.poolSize')}</dt>
            <dd>{report.poolSize}</dd>
            <dt>{t('draw.fairness.minimum')}</dt>
            <dd data-testid="minimum-probability">{percent(report.minimumProbability, locale)}</dd>
            <dt>{t('draw.fairness.bound')}</dt>
            <dd data-testid="probability-bound">{percent(report.minimumProbabilityUpperBound, locale)}</dd>
            <dt>{t('draw.fairness.gap')}</dt>
            <dd data-testid="certified-gap">{percent(report.certifiedGap, locale)}</dd>
            <dt>{t('draw.fairness.unreachable')}</dt>
            <dd>{report.unreachable.length ? report.unreachable.join(', ') : t('draw.fairness.nobody')}</dd>
          </dl>
          <div class="scroll" tabIndex={0} role="region" aria-label={t('draw.fairness.table')}>
            <table>
              <caption>{t('draw.fairness.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('draw.poolId')}</th>
                  <th scope="col" class="number">
                    {t('draw.fairness.probability')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((p) => (
                  <tr key={p.id}>
                    <td>{p.id}</td>
                    <td class="number">{percent(p.probability, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

/** The draw with the seed revealed in public, once the pool hash is published. */
function DrawForm({ panelId, onDrawn }: { panelId: string; onDrawn: () => void }) {
  const { t } = useI18n();
  const [seed, setSeed] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function draw(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/panels/{id}/selections', { params: { path: { id: panelId } }, body: { seed: seed.trim() } }));
      onDrawn();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="stack detail" onSubmit={(e) => void draw(e)} aria-labelledby="draw-title">
      <h2 id="draw-title">{t('draw.title')}</h2>
      <p class="muted">{t('draw.seedHint')}</p>
      <label>
        {t('draw.seed')}
        <input value={seed} required maxLength={200} onInput={(e) => setSeed((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !seed.trim()}>
        {t('draw.submit')}
      </button>
    </form>
  );
}

/** After the draw: who holds the seats (by pool id), their status, and the panel against its quotas. */
function DrawnMembers({ panel }: { panel: Panel }) {
  const { t, locale } = useI18n();
  const selections = useAsync(async () => unwrap(await api.GET('/api/v1/panels/{id}/selections', { params: { path: { id: panel.id } } })), [panel.id]);
  const members = useAsync(
    async () => unwrap(await api.GET('/api/v1/panels/{id}/members', { params: { path: { id: panel.id } } })).items,
    [panel.id],
  );
  const standing = useAsync(async () => unwrap(await api.GET('/api/v1/panels/{id}/representativeness', { params: { path: { id: panel.id } } })), [panel.id]);
  const first = selections.data?.[0];
  const valueLabel = (feature: string, value: string) => {
    const f = panel.features.find((x) => x.code === feature);
    const v = f?.values.find((x) => x.code === value);
    return v ? labelOf(v) : value;
  };
  return (
    <section aria-labelledby="members-title" class="detail">
      <h2 id="members-title">{t('draw.members.title')}</h2>
      {selections.error != null && <Failure error={selections.error} onRetry={selections.reload} />}
      {first && (
        <p data-testid="draw-seed">
          {t('draw.members.seed', { seed: first.seed, date: new Date(first.createdAt).toLocaleString(locale) })}
        </p>
      )}
      {members.error != null && <Failure error={members.error} onRetry={members.reload} />}
      {members.data && (
        <table data-testid="members">
          <caption>{t('draw.members.caption', { count: members.data.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('draw.poolId')}</th>
              <th scope="col">{t('draw.members.status')}</th>
              {panel.features.map((f) => (
                <th key={f.code} scope="col">
                  {labelOf(f)}
                </th>
              ))}
              <th scope="col">{t('history.button')}</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.id}>
                <td>{m.selectionId}</td>
                <td>{t(`member.status.${m.status}`)}</td>
                {panel.features.map((f) => (
                  <td key={f.code}>{valueLabel(f.code, m.features[f.code])}</td>
                ))}
                <td>
                  <MemberHistory panelId={panel.id} memberId={m.id} label={m.selectionId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {standing.data && (
        <table data-testid="representativeness">
          <caption>{t('draw.standing.caption', { seated: standing.data.seated, size: standing.data.size })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('panel.quota.feature')}</th>
              <th scope="col">{t('panel.quota.value')}</th>
              <th scope="col">{t('panel.quota.seats')}</th>
              <th scope="col" class="number">
                {t('draw.standing.pool')}
              </th>
              <th scope="col" class="number">
                {t('draw.standing.seated')}
              </th>
              <th scope="col">{t('draw.standing.met')}</th>
            </tr>
          </thead>
          <tbody>
            {standing.data.quotas.map((q) => {
              const f = panel.features.find((x) => x.code === q.feature);
              return (
                <tr key={`${q.feature}/${q.value}`}>
                  <td>{f ? labelOf(f) : q.feature}</td>
                  <td>{valueLabel(q.feature, q.value)}</td>
                  <td>{q.min === q.max ? q.min : t('panel.quota.range', { min: q.min, max: q.max })}</td>
                  <td class="number">{q.pool}</td>
                  <td class="number">{q.seated}</td>
                  <td>{q.met ? t('draw.standing.yes') : t('draw.standing.no')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {standing.data && <ResponseRatesTable panel={panel} report={standing.data} />}
      {selections.data && selections.data.length > 0 && <DrawRuns panelId={panel.id} selections={selections.data} />}
      {standing.error != null && <Failure error={standing.error} onRetry={standing.reload} />}
    </section>
  );
}

/** Staff: a panel's pool, its close (publishing the pool hash), the fairness report, the draw and its members. */
export function PanelDrawScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const panel = useAsync(async () => unwrap(await api.GET('/api/v1/panels/{id}', { params: { path: { id } } })), [id]);
  // The draws are staff-only: reading them says whether this person may use the screen at all.
  const access = useAsync(async () => unwrap(await api.GET('/api/v1/panels/{id}/selections', { params: { path: { id } } })), [id]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped after a rotation or a term started by hand: the members and their standing are read again.
  const [round, setRound] = useState(0);

  async function closePool() {
    setBusy(true);
    setError(null);
    try {
      const closed = unwrap(await api.POST('/api/v1/panels/{id}/pool/close', { params: { path: { id } } }));
      panel.set(() => closed);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  if (panel.error) return <Failure error={panel.error} onRetry={panel.reload} />;
  if (access.error instanceof ApiError && (access.error.status === 401 || access.error.status === 403)) {
    return (
      <p role="alert" class="notice notice-error" data-testid="draw-forbidden">
        {t('draw.forbidden')}
      </p>
    );
  }
  if (access.error) return <Failure error={access.error} onRetry={access.reload} />;
  if (!panel.data || !access.data) return <Loading />;
  const p = panel.data;
  return (
    <section class="stack" aria-labelledby="draw-panel-title">
      <h1 id="draw-panel-title">{t('draw.pageTitle', { name: p.name })}</h1>
      <p class="actions">
        <Link href={ROUTES.panel(p.id)}>{t('draw.publicPage')}</Link>
        <Link href={ROUTES.panelEdit(p.id)}>{t('panelEdit.link')}</Link>
      </p>
      <div class="board-columns">
        <div class="stack">
          <section class="detail" aria-labelledby="pool-title">
            <h2 id="pool-title">{t('draw.pool.title')}</h2>
            <p>
              <span class="badge" data-testid="panel-status">
                {t(`panel.status.${p.status}`)}
              </span>
            </p>
            {p.poolHash ? (
              <dl data-testid="commitment">
                <dt>{t('draw.pool.closedAt')}</dt>
                <dd>{p.poolClosedAt ? new Date(p.poolClosedAt).toLocaleString(locale) : ''}</dd>
                <dt>{t('panel.poolHash')}</dt>
                <dd>
                  <code class="hash" data-testid="pool-hash">
                    {p.poolHash}
                  </code>
                </dd>
                <dt>{t('draw.pool.rulesHash')}</dt>
                <dd>
                  <code class="hash">{p.rulesHash}</code>
                </dd>
              </dl>
            ) : (
              <>
                <p class="muted">{t('draw.pool.closeHint')}</p>
                <button type="button" onClick={() => void closePool()} disabled={busy}>
                  {t('draw.pool.close')}
                </button>
              </>
            )}
            {error && (
              <p role="alert" class="notice notice-error">
                {error}
              </p>
            )}
          </section>
          {p.status === 'recruiting' && <PoolImport panel={p} />}
          {p.status === 'pool_closed' && <DrawForm panelId={p.id} onDrawn={panel.reload} />}
          {p.status === 'drawn' && (
            <TermAndRotation
              panel={p}
              onChanged={() => {
                panel.reload();
                setRound((r) => r + 1);
              }}
            />
          )}
          {p.status === 'drawn' && <DrawnMembers key={round} panel={p} />}
        </div>
        <div class="stack">
          <FairnessReport panelId={p.id} />
          <section class="detail">
            <QuotaTable panel={p} />
          </section>
        </div>
      </div>
    </section>
  );
}
