import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Web push endpoints are URLs the browser gives us and the worker then POSTs to, so an endpoint
 * is also a way to make the server call any address (SSRF). Outside tests and development
 * (`allowInsecure`), an endpoint must be https to a public DNS name, and every address that name
 * resolves to must be public unicast — checked when the subscription is made and again on the
 * very connection each send opens (DNS may answer differently later).
 */

/** Names that are never a push service on the public internet (RFC 6761, 6762, 8375...). */
const RESERVED_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home', 'corp', 'private', 'invalid', 'test', 'example', 'home.arpa', 'onion'];

/** The host as DNS sees it: lower case, punycode (URL does that), without the trailing root dot(s). */
export function normalizedHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
}

/** Whether an address (v4, v6, v4-mapped v6) is public unicast: not loopback, private, link-local, ULA, CGNAT, multicast... */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * What is wrong with an endpoint's text, or null: the checks that need no DNS.
 * (`https://localhost./x`, `https://[::1]/x`, `https://0x7f000001/x` and single labels fail here.)
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
  const host = normalizedHost(url);
  const reserved = RESERVED_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
  if (isIP(host) || reserved || !host.includes('.')) return 'endpoint must name a push service host';
  return null;
}

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

const systemLookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The full check made at subscription: the text, then every address the host resolves to.
 * Returns the reason it is refused, or null.
 */
export async function pushEndpointProblemResolved(endpoint: string, allowInsecure: boolean, lookupAll: LookupAll = systemLookupAll): Promise<string | null> {
  const problem = pushEndpointProblem(endpoint, allowInsecure);
  if (problem || allowInsecure) return problem;
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(normalizedHost(new URL(endpoint)));
  } catch {
    return 'endpoint host does not resolve';
  }
  if (addresses.length === 0) return 'endpoint host does not resolve';
  return addresses.every((a) => isPublicAddress(a.address)) ? null : 'endpoint must not point into a private network';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for http(s).request that resolves as usual and refuses the connection unless every
 * address is public: the send-time half of the SSRF check, on the addresses actually dialled,
 * so a name that turned private after the subscription (DNS rebinding) is not reached.
 */
export function publicOnlyLookup(resolve: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !isPublicAddress(a.address));
      if (list.length === 0 || refused) {
        const denied = Object.assign(new Error(`push endpoint ${hostname} resolves to a non-public address ${refused?.address ?? '(none)'}`), { code: 'EPUSHADDRESS' });
        return callback(denied, []);
      }
      if ((options as LookupAllOptions).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
