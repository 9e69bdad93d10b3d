import { BoardReplica } from '@app/workshops';
import type { BoardView, PublicChange } from '@app/workshops';
import { AckResult, LiveClient } from '../realtime/live-client';

// Acks are JSON whose shape each test reads as it needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * A real socket.io client on one session's board: subscribes to its topic, syncs, keeps a
 * BoardReplica from the broadcasts, and syncs again (with `since`) after a reconnection or when a
 * gap stays open.
 */
export class BoardLiveClient {
  readonly replica = new BoardReplica();
  readonly syncs: Array<'snapshot' | 'changes'> = [];
  private constructor(
    readonly live: LiveClient,
    readonly sessionId: string,
    readonly topic: string,
  ) {
    live.socket.on('event', (e: { type: string; data: { sessionId: string; changes: PublicChange[] } }) => {
      if (e.type !== 'workshop.board.changes' || e.data.sessionId !== sessionId) return;
      this.replica.receive(e.data.changes);
      if (this.replica.behind) setTimeout(() => void this.catchUp(), 500);
    });
    // Back after a drop: subscriptions come back with a recovered session; otherwise subscribe again. Either way, sync.
    live.socket.on('connect', () => {
      void (async () => {
        if (!live.socket.recovered) await live.subscribe(topic);
        await this.sync(this.replica.seq >= 0 ? this.replica.seq : undefined);
      })();
    });
  }

  static async join(url: string, token: string | undefined, sessionId: string, topic = `workshop-session:${sessionId}`): Promise<BoardLiveClient> {
    const live = await LiveClient.connect(url, token, { reconnection: true });
    const client = new BoardLiveClient(live, sessionId, topic);
    await live.mustSubscribe(topic);
    await client.sync();
    return client;
  }

  get view(): BoardView {
    return this.replica.view!;
  }

  async sync(since?: number): Promise<void> {
    const ack = (await this.live.request('board:sync', { sessionId: this.sessionId, ...(since === undefined ? {} : { since }) })) as AckResult & Record<string, never>;
    if (!ack.ok) throw new Error(`board:sync refused: ${JSON.stringify(ack)}`);
    const answer = ack as unknown as Parameters<BoardReplica['load']>[0];
    this.syncs.push(answer.mode);
    this.replica.load(answer);
  }

  /** Sends a board command; resolves with the ack (ok or refusal). */
  async act(type: string, fields: Record<string, unknown> = {}): Promise<AckResult & Record<string, Json>> {
    const ack = (await this.live.request('board', { sessionId: this.sessionId, type, ...fields })) as AckResult & Record<string, Json>;
    if (ack.ok && ack.myDots) {
      if (ack.myDots.count > 0) this.replica.myDots[ack.myDots.ideaId] = ack.myDots.count;
      else delete this.replica.myDots[ack.myDots.ideaId];
    }
    return ack;
  }

  /**
   * Sends a command that must be accepted. Told to slow down (RATE_LIMITED: more than the
   * channel's 20 messages a second, which this scripted facilitator reaches on a quiet machine),
   * it waits and sends again, as an honest client should; any other refusal fails.
   */
  async must(type: string, fields: Record<string, unknown> = {}): Promise<Record<string, Json>> {
    let ack = await this.act(type, fields);
    for (let retry = 0; !ack.ok && ack.error.code === 'RATE_LIMITED' && retry < 20; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ack = await this.act(type, fields);
    }
    if (!ack.ok) throw new Error(`${type} refused: ${JSON.stringify(ack.error)}`);
    return ack;
  }

  /** Resolves once the replica reached `seq` with no gap (checked as changes arrive). */
  async waitForSeq(seq: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.replica.seq >= seq && !this.replica.behind)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for board seq ${seq} (at ${this.replica.seq})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async catchUp(): Promise<void> {
    if (this.replica.behind && this.live.socket.connected) await this.sync(this.replica.seq).catch(() => undefined);
  }

  close(): void {
    this.live.close();
  }
}
