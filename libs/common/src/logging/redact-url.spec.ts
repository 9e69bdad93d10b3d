import { redactUrl } from './logging.module';

describe('redactUrl', () => {
  it('hides keys and tokens in query strings', () => {
    expect(redactUrl('/open311/v2/requests.json?jurisdiction_id=lille&api_key=o311_secret&x=1')).toBe(
      '/open311/v2/requests.json?jurisdiction_id=lille&api_key=[redacted]&x=1',
    );
    expect(redactUrl('/api/v1/notifications/unsubscribe?token=abc.def')).toBe('/api/v1/notifications/unsubscribe?token=[redacted]');
    expect(redactUrl('/health')).toBe('/health');
  });
});
