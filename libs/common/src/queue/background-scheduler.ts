import { Logger } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;

/**
 * Registers a BullMQ job scheduler without holding up the worker's start: upserting is
 * idempotent (every worker does it, there is still one schedule), and with Redis down it retries
 * in the background with backoff — the schedule lives in Redis, so nothing is lost but the wait.
 * Returns a function that stops the retries (call it at shutdown).
 */
export function upsertSchedulerInBackground(
  queue: Queue,
  schedulerId: string,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { name: string; data?: unknown; opts?: JobSchedulerTemplateOptions },
  logger: Logger,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const attempt = async (n: number): Promise<void> => {
    try {
      await queue.upsertJobScheduler(schedulerId, repeat, template);
    } catch (error) {
      if (stopped) return;
      const delay = Math.min(RETRY_MIN_MS * 2 ** n, RETRY_MAX_MS);
      logger.warn(`Could not register the ${schedulerId} schedule (${(error as Error).message}); retrying in ${delay} ms`);
      timer = setTimeout(() => void attempt(n + 1), delay);
    }
  };
  void attempt(0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
