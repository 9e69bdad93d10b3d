import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import type { MemberHistoryEntry, PanelSelection } from './panel-types';

/** The run file of a draw, fetched with the session and saved as `panel-<id>-<kind>-<round>.json`. */
async function downloadRun(panelId: string, selection: PanelSelection): Promise<void> {
  const run = unwrap(await api.GET('/api/v1/panels/{id}/selections/{selectionId}/run', { params: { path: { id: panelId, selectionId: selection.id } } }));
  const url = URL.createObjectURL(new Blob([JSON.stringify(run, null, 2) + '\n'], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `panel-${panelId.slice(0, 8)}-${selection.kind}-${selection.round}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Every draw of the panel (initial, replacements, rotations) with its seed and its run file:
 * anyone given the file re-checks the draw with `npm run panel:draw -- run.json`, no database.
 */
export function DrawRuns({ panelId, selections }: { panelId: string; selections: PanelSelection[] }) {
  const { t, locale } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const save = (s: PanelSelection) => {
    setError(null);
    downloadRun(panelId, s).catch((e: unknown) => setError(describeError(e, t)));
  };
  return (
    <section aria-labelledby="runs-title">
      <h3 id="runs-title">{t('runs.title')}</h3>
      <p class="muted">
        {t('runs.hint')} <code>npm run panel:draw -- run.json</code>
      </p>
      <ul class="list" data-testid="draw-runs">
        {selections.map((s) => (
          <li key={s.id} class="item">
            {t(`runs.kind.${s.kind}`, { round: s.round })} — {t('runs.seed', { seed: s.seed })} — {new Date(s.createdAt).toLocaleString(locale)}{' '}
            <button type="button" onClick={() => save(s)} aria-label={t('runs.download', { what: t(`runs.kind.${s.kind}`, { round: s.round }) })}>
              {t('runs.downloadShort')}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** A member's status history, read on demand (staff): each change, why, by a person or not, when. */
export function MemberHistory({ panelId, memberId, label }: { panelId: string; memberId: string; label: string }) {
  const { t, locale } = useI18n();
  const [entries, setEntries] = useState<MemberHistoryEntry[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    setError(null);
    try {
      setEntries(unwrap(await api.GET('/api/v1/panels/{id}/members/{memberId}/history', { params: { path: { id: panelId, memberId } } })));
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  const listId = `history-${memberId}`;
  return (
    <>
      <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => void toggle()} aria-label={t('history.show', { member: label })}>
        {t('history.button')}
      </button>
      <div id={listId} hidden={!open}>
        {error && <p role="alert">{error}</p>}
        {entries && (
          <ol class="history" data-testid="member-history">
            {entries.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{new Date(h.at).toLocaleString(locale)}</time> — {h.from ? `${t(`member.status.${h.from}`)} → ` : ''}
                {t(`member.status.${h.to}`)} ({t(`history.reason.${h.reason}`)}, {h.byPerson ? t('history.byPerson') : t('history.automatic')})
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
