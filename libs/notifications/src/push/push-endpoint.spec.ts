import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postPush } from '../delivery/push-request';
import { isPublicAddress, LookupFunction, publicOnlyLookup, pushEndpointProblem, pushEndpointProblemResolved } from './push-endpoint';

/** A resolver answering from a table, standing in for DNS (which this machine has none of). */
const resolverOf =
  (table: Record<string, string[]>) =>
  async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('push endpoints (SSRF)', () => {
  it.each([
    'https://fcm.googleapis.com/fcm/send/abc:def',
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
    'https://web.push.apple.com/QGuQyavXutnMH',
  ])('accepts the push service URL %s', (endpoint) => {
    expect(pushEndpointProblem(endpoint, false)).toBeNull();
  });

  it.each([
    ['not a url', 'absolute URL'],
    ['http://fcm.googleapis.com/fcm/send/x', 'https'],
    ['https://127.0.0.1/push', 'push service host'],
    ['https://0x7f000001/push', 'push service host'],
    ['https://2130706433/push', 'push service host'],
    ['https://[::1]/push', 'push service host'],
    ['https://[::ffff:10.0.0.1]/push', 'push service host'],
    ['https://localhost/push', 'push service host'],
    ['https://localhost./push', 'push service host'],
    ['https://LOCALHOST../push', 'push service host'],
    ['https://api.localhost/push', 'push service host'],
    ['https://printer.local/push', 'push service host'],
    ['https://router.home.arpa/push', 'push service host'],
    ['https://intranet/push', 'push service host'],
    ['https://user:pw@fcm.googleapis.com/x', 'credentials'],
  ])('refuses %s in production', (endpoint, reason) => {
    expect(pushEndpointProblem(endpoint, false)).toContain(reason);
  });

  it('accepts a loopback http endpoint only when insecure endpoints are allowed (tests)', () => {
    expect(pushEndpointProblem('http://127.0.0.1:4567/push/1', true)).toBeNull();
    expect(pushEndpointProblem('ftp://127.0.0.1/push', true)).toContain('http');
  });

  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['142.250.74.74', true],
    ['2a00:1450:4007:80e::200a', true],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses at subscription a name that resolves into a private network, or does not resolve', async () => {
    const resolve = resolverOf({
      'push.example.org': ['142.250.74.74'],
      'sneaky.example.org': ['142.250.74.74', '10.0.0.7'],
      'rebound.example.org': ['::ffff:127.0.0.1'],
    });
    await expect(pushEndpointProblemResolved('https://push.example.org/x', false, resolve)).resolves.toBeNull();
    await expect(pushEndpointProblemResolved('https://sneaky.example.org/x', false, resolve)).resolves.toContain('private network');
    await expect(pushEndpointProblemResolved('https://rebound.example.org./x', false, resolve)).resolves.toContain('private network');
    await expect(pushEndpointProblemResolved('https://nowhere.example.org/x', false, resolve)).resolves.toContain('does not resolve');
  });

  describe('at send time', () => {
    const server = createServer((_req, res) => res.writeHead(201).end('ok'));
    let port: number;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('does not connect when the name now resolves to a loopback address (DNS rebinding)', async () => {
      let connections = 0;
      server.on('connection', () => connections++);
      const rebinding: LookupFunction = (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
      await expect(
        postPush(`http://push.example.org:${port}/x`, { method: 'POST', headers: {}, body: 'x', timeoutMs: 2000, lookup: publicOnlyLookup(rebinding) }),
      ).rejects.toMatchObject({ code: 'EPUSHADDRESS' });
      expect(connections).toBe(0);
      // The same request without the guard reaches the server: the refusal above was the guard's.
      await expect(postPush(`http://127.0.0.1:${port}/x`, { method: 'POST', headers: {}, body: 'x', timeoutMs: 2000 })).resolves.toEqual({ status: 201, body: 'ok' });
      expect(connections).toBe(1);
    });
  });
});
