/**
 * Reports waiting on this device to be sent (FixMyStreet's offline drafts). Filing a report always
 * goes through here: the report is saved in IndexedDB with its Idempotency-Key first, then sent;
 * without network it stays "waiting to send" and goes when the network is back. The key makes a
 * retry after a lost answer return the report already filed, so a report is filed once however
 * often it is sent. Nothing here knows about screens or HTTP: `send` is given by the caller.
 */

export interface PendingReport {
  /** The Idempotency-Key, also the store's key. */
  key: string;
  municipality: string;
  body: Record<string, unknown>;
  photo: Blob | null;
  createdAt: string;
  /** Set once the API accepted the report (the photo may still be on its way). */
  reportId: string | null;
  /** The API refused it for good (4xx): kept so the person sees why, never sent again. */
  failure: string | null;
}

/** What sending one entry gave: done, try later (network, 5xx), or refused with a reason. */
export type SendOutcome = { sent: true; reportId: string } | { sent: false; retry: true } | { sent: false; retry: false; reason: string };

export interface ReportSender {
  /** POST the report with the entry's Idempotency-Key; the same key always gives the same report. */
  file(entry: PendingReport): Promise<SendOutcome>;
  /** Upload the photo of a filed report. */
  attachPhoto(reportId: string, photo: Blob): Promise<SendOutcome>;
}

const DB_NAME = 'civic-offline';
const STORE = 'pending-reports';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class ReportQueue {
  private db: Promise<IDBDatabase> | null = null;
  private flushing: Promise<number> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly factory: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  /** Called after every change, so screens showing the queue refresh. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Saves a new report with a fresh Idempotency-Key; returns the entry. */
  async add(municipality: string, body: Record<string, unknown>, photo: Blob | null = null): Promise<PendingReport> {
    const entry: PendingReport = { key: crypto.randomUUID(), municipality, body, photo, createdAt: new Date().toISOString(), reportId: null, failure: null };
    await request((await this.store('readwrite')).put(entry));
    this.changed();
    return entry;
  }

  async list(): Promise<PendingReport[]> {
    const all = await request((await this.store('readonly')).getAll() as IDBRequest<PendingReport[]>);
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async remove(key: string): Promise<void> {
    await request((await this.store('readwrite')).delete(key));
    this.changed();
  }

  private async save(entry: PendingReport): Promise<void> {
    await request((await this.store('readwrite')).put(entry));
    this.changed();
  }

  /**
   * Sends every waiting entry, oldest first, and returns how many left the queue. One flush at a
   * time in this page: a second call while one runs waits for it instead of sending again.
   * Stops at the first network failure (the rest would fail the same way).
   */
  flush(sender: ReportSender): Promise<number> {
    this.flushing ??= this.flushAll(sender).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushAll(sender: ReportSender): Promise<number> {
    let done = 0;
    for (const entry of await this.list()) {
      if (entry.failure) continue;
      if (!entry.reportId) {
        const outcome = await sender.file(entry);
        if (!outcome.sent) {
          if (outcome.retry) return done;
          await this.save({ ...entry, failure: outcome.reason });
          continue;
        }
        entry.reportId = outcome.reportId;
        if (entry.photo) await this.save(entry);
      }
      if (entry.photo) {
        const outcome = await sender.attachPhoto(entry.reportId, entry.photo);
        if (!outcome.sent && outcome.retry) return done;
        // A refused photo does not hold the report back: it is filed; the reason is dropped with it.
      }
      await this.remove(entry.key);
      done += 1;
    }
    return done;
  }
}
