import { Injectable } from '@nestjs/common';
import { MunicipalitiesService } from '@app/identity';

const TTL_MS = 60_000;

/**
 * Municipality names for mail subjects and signatures. Thousands of mails of a burst come from a
 * handful of towns, so names are kept a minute rather than read per mail; a rename shows up
 * within that minute.
 */
@Injectable()
export class MunicipalityNames {
  private readonly cache = new Map<string, { name: string | null; until: number }>();

  constructor(private readonly municipalities: MunicipalitiesService) {}

  async of(id: string | null): Promise<string | null> {
    if (!id) return null;
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.name;
    const name = (await this.municipalities.requireById(id).catch(() => null))?.name ?? null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { name, until: Date.now() + TTL_MS });
    return name;
  }
}

export class SendTimeoutError extends Error {}

/** Gives up waiting on a send after `ms`; the send itself may still finish (hence at-least-once). */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
