/**
 * At most `size` sends on the SMTP pool's connections at once; the rest wait here, in order.
 * A send's deadline then measures its time on the wire, not its wait in the pool's queue: a mail
 * that timed out while still queued inside nodemailer went out later anyway, after its delivery
 * had been put back for a retry — the same mail twice.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the longest waiting send, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}
