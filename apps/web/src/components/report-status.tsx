import type { ReportStatus } from '../api/client';
import { useI18n } from '../i18n';

export function StatusBadge({ status }: { status: ReportStatus }) {
  const { t } = useI18n();
  return (
    <span class={`badge status-${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

/** Live copies of a report may arrive out of order: keep the highest version. */
export function newer<T extends { id: string; version: number }>(current: T, incoming: T): T {
  return incoming.version >= current.version ? incoming : current;
}

/** A fresh list, each report kept at the higher version of the fresh and the shown copy. */
export function keepNewest<T extends { id: string; version: number }>(shown: T[] | null, fresh: T[]): T[] {
  if (!shown) return fresh;
  const byId = new Map(shown.map((r) => [r.id, r]));
  return fresh.map((r) => {
    const mine = byId.get(r.id);
    return mine ? newer(r, mine) : r;
  });
}

/**
 * A live copy sent to everyone carries the public view: keep what the API told this viewer
 * about themselves (isMine, supportedByMe, attributes, staff fields) from the copy shown.
 */
export function withViewerFields<T extends { version: number; isMine: boolean; supportedByMe: boolean; attributes?: unknown; staff?: unknown }>(shown: T, incoming: T): T {
  if (incoming.version < shown.version) return shown;
  return { ...incoming, isMine: shown.isMine, supportedByMe: shown.supportedByMe, attributes: shown.attributes, staff: incoming.staff ?? shown.staff };
}
