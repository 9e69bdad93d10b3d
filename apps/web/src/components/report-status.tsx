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
