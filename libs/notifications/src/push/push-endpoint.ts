import { isIP } from 'node:net';

/**
 * Whether a push endpoint may be posted to. Browsers hand us push-service URLs, but the server is
 * the one that posts there, so an endpoint is also a way to make it call any URL (SSRF): outside
 * tests and development only https to a named host, never a bare IP or localhost.
 * Returns the reason it is refused, or null when it is fine.
 */
export function pushEndpointProblem(endpoint: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'endpoint must be an absolute URL';
  }
  if (url.username || url.password) return 'endpoint must not carry credentials';
  if (allowInsecure) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'endpoint must be an http(s) URL';
  if (url.protocol !== 'https:') return 'endpoint must be an https URL';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) || host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
    return 'endpoint must name a push service host';
  }
  return null;
}
