import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import type { Panel, PoolImportReport } from './panel-types';

/** Above this the API refuses the file anyway (50,000 rows); said before reading it into memory. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Staff: the invited residents of a postal round, from a CSV file chosen on this computer, sent
 * as it is to the API's text/csv route. The API checks every row: the rows it refused are listed
 * with their line and why; a file it cannot read as the expected columns imports nothing.
 */
export function PoolImport({ panel }: { panel: Panel }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<PoolImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(t('poolImport.tooLarge'));
      const csv = await file.text();
      const answer = await api.POST('/api/v1/panels/{id}/pool/import', {
        params: { path: { id: panel.id } },
        body: csv,
        bodySerializer: (body: string) => body,
        headers: { 'Content-Type': 'text/csv' },
      });
      setReport(unwrap(answer));
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  const columns = ['external_id', 'household', ...panel.features.map((f) => f.code)].join(',');
  return (
    <form class="stack detail" onSubmit={(e) => void send(e)} aria-labelledby="pool-import-title" data-testid="pool-import">
      <h2 id="pool-import-title">{t('poolImport.title')}</h2>
      <p class="muted">{t('poolImport.hint')}</p>
      <p>
        {t('poolImport.columns')} <code class="hash">{columns}</code>
      </p>
      <label>
        {t('poolImport.file')}
        <input type="file" accept=".csv,text/csv" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
      </label>
      <button type="submit" disabled={busy || !file}>
        {t('poolImport.submit')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error" data-testid="pool-import-error">
          {error}
        </p>
      )}
      {report && (
        <div role="status" data-testid="pool-import-report">
          <p>{t('poolImport.done', { imported: report.imported, rejected: report.rejected.length })}</p>
          {report.rejected.length > 0 && (
            <div class="table-scroll">
              <table data-testid="rejected-rows">
                <caption>{t('poolImport.rejected')}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="number">
                      {t('poolImport.line')}
                    </th>
                    <th scope="col">{t('poolImport.externalId')}</th>
                    <th scope="col">{t('poolImport.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((row) => (
                    <tr key={row.line}>
                      <td class="number">{row.line}</td>
                      <td>{row.externalId ?? '—'}</td>
                      <td>{row.reasons.join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </form>
  );
}
