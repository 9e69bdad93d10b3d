/**
 * The bare baseline of the workshops benchmark: one socket.io server that relays each client's
 * `board` message to everyone in the room, stamped with the server's time — no auth, no rules,
 * no database, no Redis. Clients `subscribe {topic}` (joined at once) and send the same
 * commands as to the product; the ack says the relay took it.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(http, { serveClient: false, maxHttpBufferSize: 16 * 1024 });
let seq = 0;
io.on('connection', (socket) => {
  socket.on('subscribe', (msg: { topic: string }, ack: (reply: unknown) => void) => {
    void socket.join(msg.topic);
    if (typeof ack === 'function') ack({ ok: true, topic: msg.topic });
  });
  socket.on('board', (msg: { sessionId: string }, ack: (reply: unknown) => void) => {
    const change = { ...msg, seq: ++seq, at: new Date().toISOString() };
    io.to(`workshop-session:${msg.sessionId}`).emit('event', { id: String(seq), type: 'workshop.board.changes', occurredAt: change.at, data: { sessionId: msg.sessionId, changes: [change] } });
    if (typeof ack === 'function') ack({ ok: true, seq });
  });
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
