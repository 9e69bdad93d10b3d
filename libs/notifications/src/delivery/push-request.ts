import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from '../push/push-endpoint';

export interface PushRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** A deadline over the whole exchange, connection to last byte. */
  timeoutMs: number;
  /** Resolves the host; publicOnlyLookup() refuses private addresses before connecting. */
  lookup?: LookupFunction;
}

/** How much of a push service's answer is kept (its text goes into delivery errors). */
const MAX_ANSWER_BYTES = 4096;

/**
 * One POST to a push service with node's http(s) client rather than fetch: only it lets us vet
 * the resolved address of the very connection (`lookup`). Redirects are not followed.
 */
export function postPush(endpoint: string, options: PushRequestOptions): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: options.method, headers: options.headers, lookup: options.lookup as never, signal: AbortSignal.timeout(options.timeoutMs) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
