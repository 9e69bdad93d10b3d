import pino from 'pino';
import { Writable } from 'node:stream';
import { LOG_SERIALIZERS } from './logging.module';
import { formatLogLine, prettyLogDestination } from './pretty-log';

describe('development log lines', () => {
  const at = new Date(2026, 11, 6, 9, 5, 7, 42).getTime();

  it('shows a request as method, url, status and time, without headers', () => {
    const line = formatLogLine({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      service: 'civic',
      req: { id: 'r1', method: 'GET', url: '/api/v1/reports?limit=5', headers: { authorization: '[redacted]', 'user-agent': 'curl' } },
      res: { statusCode: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'r1' } },
      responseTime: 12.4,
      msg: 'request completed',
    });
    expect(line).toBe('09:05:07.042 INFO  GET /api/v1/reports?limit=5 200 12 ms');
    expect(line).not.toContain('content-type');
    expect(line).not.toContain('user-agent');
  });

  it('shows other entries with their context, scalar extras and an indented stack', () => {
    const err = new Error('boom');
    const line = formatLogLine({ level: 50, time: at, context: 'DeliveryService', msg: 'Gave up', jobId: 'j1', attemptsMade: 3, err: { message: 'boom', stack: err.stack } });
    const [first, second] = line.split('\n');
    expect(first).toBe('09:05:07.042 ERROR [DeliveryService] Gave up jobId=j1 attemptsMade=3');
    expect(second).toBe('    Error: boom');
  });

  it('is what pino writes through the destination, one line per entry', () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ serializers: LOG_SERIALIZERS }, prettyLogDestination(sink, false));
    logger.warn({ context: 'Mailer' }, 'SMTP relay is failing');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  \[Mailer\] SMTP relay is failing\n$/);
  });
});
