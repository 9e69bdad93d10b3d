import { pushEndpointProblem } from './push-endpoint';

describe('pushEndpointProblem', () => {
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
    ['https://[::1]/push', 'push service host'],
    ['https://localhost/push', 'push service host'],
    ['https://intranet/push', 'push service host'],
    ['https://user:pw@fcm.googleapis.com/x', 'credentials'],
  ])('refuses %s in production', (endpoint, reason) => {
    expect(pushEndpointProblem(endpoint, false)).toContain(reason);
  });

  it('accepts a loopback http endpoint only when insecure endpoints are allowed (tests)', () => {
    expect(pushEndpointProblem('http://127.0.0.1:4567/push/1', true)).toBeNull();
    expect(pushEndpointProblem('ftp://127.0.0.1/push', true)).toContain('http');
  });
});
