import { api, ApiError, NetworkError, unwrap } from '../api/client';
import { ReportQueue, type PendingReport, type ReportSender, type SendOutcome } from './report-queue';

/** The app's queue of reports waiting on this device, and how its entries reach the API. */
export const pendingReports = new ReportQueue();

/** 4xx: the API refused the report itself; anything else (network, 5xx, 429) is worth a retry. */
function outcomeOf(error: unknown): SendOutcome {
  if (error instanceof NetworkError) return { sent: false, retry: true };
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 401) {
    return { sent: false, retry: false, reason: error.message };
  }
  return { sent: false, retry: true };
}

const sender: ReportSender = {
  async file(entry: PendingReport) {
    try {
      const report = unwrap(
        await api.POST('/api/v1/municipalities/{slug}/reports', {
          params: { path: { slug: entry.municipality }, header: { 'Idempotency-Key': entry.key } },
          body: entry.body as never,
        }),
      );
      return { sent: true, reportId: report.id };
    } catch (error) {
      return outcomeOf(error);
    }
  },
  async attachPhoto(reportId: string, photo: Blob) {
    try {
      const form = new FormData();
      form.append('photo', photo, 'photo.jpg');
      unwrap(
        await api.POST('/api/v1/{collection}/{id}/photos', {
          params: { path: { collection: 'reports', id: reportId } },
          body: form as never,
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
      return { sent: true, reportId };
    } catch (error) {
      return outcomeOf(error);
    }
  },
};

/** Sends what waits, now and every time the browser says the network is back. */
export function sendPendingReports(): Promise<number> {
  return navigator.onLine ? pendingReports.flush(sender) : Promise.resolve(0);
}

export function startSendingWhenOnline(): void {
  window.addEventListener('online', () => void sendPendingReports());
  void sendPendingReports();
}
