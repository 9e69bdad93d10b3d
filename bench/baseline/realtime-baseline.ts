/**
 * The bare baseline the realtime benchmark compares against: one socket.io server on a plain
 * Node HTTP server, no auth, no topic policies, no adapter, no outbox. A client's `subscribe`
 * joins the room it names; `POST /broadcast {room, payload}` emits the payload to that room as
 * the product does (`event`, with `occurredAt` stamped at the emit), so the benchmark measures
 * the same clients receiving the same payloads.
 */
import { createServer, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (req.method === 'POST' && req.url === '/broadcast') {
    body(req).then(
      (b) => {
        const { room, payload } = b as { room: string; payload: Record<string, unknown> };
        io.to(room).emit('event', { ...payload, topic: room, occurredAt: new Date().toISOString() });
        res.writeHead(204).end();
      },
      () => res.writeHead(400).end(),
    );
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(http, { serveClient: false, maxHttpBufferSize: 16 * 1024 });
io.on('connection', (socket) => {
  socket.on('subscribe', (msg: { topic: string }, ack: (reply: unknown) => void) => {
    void socket.join(msg.topic);
    if (typeof ack === 'function') ack({ ok: true, topic: msg.topic });
  });
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
