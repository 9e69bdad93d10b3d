import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import { Writable } from 'node:stream';
import { LOG_SERIALIZERS, REDACTED_PATHS, requestForLog } from './logging.module';

function request(url: string, headers: Record<string, string>, query?: Record<string, unknown>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  Object.assign(req, { url, method: 'GET', headers, id: 'req-1', query });
  return req;
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = pino({ level: 'info', serializers: LOG_SERIALIZERS, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
  return { logger, lines };
}

describe('request logs', () => {
  it('write the request in a completion line with its secrets masked', () => {
    const { logger, lines } = capture();
    const req = request('/open311/v2/requests.json?api_key=o311_secret&x=1', { authorization: 'Bearer abc', cookie: 'c=1', host: 'h' }, { api_key: 'o311_secret', x: '1' });
    logger.info({ req: requestForLog(req), responseTime: 3 }, 'request completed');
    expect(lines[0].req).toEqual({
      id: 'req-1',
      method: 'GET',
      url: '/open311/v2/requests.json?api_key=[redacted]&x=1',
      query: { api_key: '[redacted]', x: '1' },
      headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'h' },
    });
    // The request itself is untouched.
    expect((req as unknown as { query: Record<string, unknown> }).query.api_key).toBe('o311_secret');
  });

  it('do not serialise the raw request a per-request child logger is bound to', () => {
    const { logger, lines } = capture();
    const child = logger.child({ req: request('/x', { authorization: 'Bearer abc' }), reqId: 'req-1' });
    child.info('inside the request');
    expect(lines[0]).toMatchObject({ reqId: 'req-1', msg: 'inside the request' });
    expect(lines[0]).not.toHaveProperty('req');
  });
});
