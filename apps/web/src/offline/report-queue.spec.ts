import { IDBFactory } from 'fake-indexeddb';
import { type PendingReport, ReportQueue, type ReportSender, type SendOutcome } from './report-queue';

/** A sender that records what it was asked, answering from a script of outcomes. */
function scriptedSender(fileOutcomes: SendOutcome[], photoOutcomes: SendOutcome[] = []) {
  const filed: PendingReport[] = [];
  const photos: string[] = [];
  const sender: ReportSender = {
    file: async (entry) => {
      filed.push(entry);
      return fileOutcomes.shift() ?? { sent: true, reportId: `r-${filed.length}` };
    },
    attachPhoto: async (reportId) => {
      photos.push(reportId);
      return photoOutcomes.shift() ?? { sent: true, reportId };
    },
  };
  return { sender, filed, photos };
}

describe('ReportQueue', () => {
  let queue: ReportQueue;
  beforeEach(() => {
    queue = new ReportQueue(new IDBFactory());
  });

  it('keeps a report with its own Idempotency-Key until it is sent', async () => {
    const a = await queue.add('lille', { description: 'one' });
    const b = await queue.add('lille', { description: 'two' });
    expect(a.key).not.toEqual(b.key);
    expect(a.key).toMatch(/^[0-9a-f-]{36}$/);
    expect((await queue.list()).map((e) => e.body.description)).toEqual(['one', 'two']);
  });

  it('stays waiting while the network is away, then sends each entry once with the same key', async () => {
    const entry = await queue.add('lille', { description: 'pothole' });
    const offline = scriptedSender([{ sent: false, retry: true }]);
    await expect(queue.flush(offline.sender)).resolves.toBe(0);
    expect(await queue.list()).toHaveLength(1);

    const online = scriptedSender([]);
    await expect(queue.flush(online.sender)).resolves.toBe(1);
    expect(online.filed.map((e) => e.key)).toEqual([entry.key]);
    expect(offline.filed.map((e) => e.key)).toEqual([entry.key]);
    expect(await queue.list()).toEqual([]);
    await expect(queue.flush(online.sender)).resolves.toBe(0);
    expect(online.filed).toHaveLength(1);
  });

  it('runs one flush at a time: a second call while one runs shares it and sends nothing twice', async () => {
    await queue.add('lille', { description: 'pothole' });
    const { sender, filed } = scriptedSender([]);
    const [first, second] = await Promise.all([queue.flush(sender), queue.flush(sender)]);
    expect([first, second]).toEqual([1, 1]);
    expect(filed).toHaveLength(1);
  });

  it('keeps a refused report with its reason and never sends it again', async () => {
    await queue.add('lille', { description: 'x' });
    const refused = scriptedSender([{ sent: false, retry: false, reason: 'outside the town' }]);
    await queue.flush(refused.sender);
    const [kept] = await queue.list();
    expect(kept.failure).toBe('outside the town');
    const again = scriptedSender([]);
    await queue.flush(again.sender);
    expect(again.filed).toHaveLength(0);
  });

  it('remembers the filed report while its photo waits, and does not file it again', async () => {
    await queue.add('lille', { description: 'with photo' }, new Blob(['jpeg bytes'], { type: 'image/jpeg' }));
    const first = scriptedSender([{ sent: true, reportId: 'r-1' }], [{ sent: false, retry: true }]);
    await queue.flush(first.sender);
    const [waiting] = await queue.list();
    expect(waiting.reportId).toBe('r-1');

    const second = scriptedSender([]);
    await queue.flush(second.sender);
    expect(second.filed).toHaveLength(0);
    expect(second.photos).toEqual(['r-1']);
    expect(await queue.list()).toEqual([]);
  });

  it('tells listeners about every change', async () => {
    const calls: number[] = [];
    queue.onChange(() => calls.push(1));
    const entry = await queue.add('lille', { description: 'x' });
    await queue.remove(entry.key);
    expect(calls).toHaveLength(2);
  });
});
