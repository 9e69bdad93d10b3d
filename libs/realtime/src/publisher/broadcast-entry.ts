/** socket.io-parser's EVENT packet type. */
const EVENT_PACKET = 2;

/** socket.io-adapter's MessageType.BROADCAST, written as a decimal string. */
const BROADCAST_MESSAGE = '3';

/** The only namespace the API serves. */
const NAMESPACE = '/';

/**
 * The fields of the Redis stream entry for emitting `event` with `payload` to one room — exactly
 * what `io.to(room).emit(event, payload)` makes the streams adapter write, so the API instances
 * deliver the entry and replay it on recovery as if one of them had broadcast it. Pinned to
 * @socket.io/redis-streams-adapter 0.3.1 with socket.io-adapter 2.5.8:
 *
 * - `ClusterAdapter.broadcast` (socket.io-adapter/dist/cluster-adapter.js) publishes
 *   `{uid, nsp, type: BROADCAST, data: {packet, opts: {rooms: [...], except: [...], flags}}}`;
 * - `RedisStreamsAdapter.encode` (redis-streams-adapter/dist/adapter.js) writes the fields `uid`,
 *   `nsp`, `type` as a string and `data` as JSON — or base64 msgpack when the data holds binary,
 *   which ours never does (live messages are the REST API's JSON views); `decode` tells the two
 *   apart by a leading `{`;
 * - `XADD` (redis-streams-adapter/dist/util.js) sends `XADD <stream> MAXLEN ~ <maxLen> * <fields>`.
 *
 * Reading it, live delivery (`ClusterAdapter.onMessage` → `addOffsetIfNecessary`) and recovery
 * (`RedisStreamsAdapter.restoreSession`: entries of type "3" in this namespace whose `opts.rooms`
 * meet the session's rooms and whose `opts.except` do not) append the entry id to `packet.data`
 * as the client's recovery offset — only for an EVENT packet without an ack id and without the
 * `volatile` flag, which is what this writes. An entry whose `uid` is an adapter's own is skipped
 * by that adapter, so the writer's uid must be its own. realtime-publisher.spec.ts compares these
 * fields with what the real adapter writes and fails when the format moves.
 */
export function broadcastEntryFields(uid: string, room: string, event: string, payload: unknown): string[] {
  const data = {
    packet: { type: EVENT_PACKET, data: [event, payload] },
    opts: { rooms: [room], except: [], flags: {} },
  };
  return ['uid', uid, 'nsp', NAMESPACE, 'type', BROADCAST_MESSAGE, 'data', JSON.stringify(data)];
}
