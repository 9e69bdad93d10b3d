import { isClientRoute, tileHostSource, webContentSecurityPolicy } from './web-app';

describe('web app serving rules', () => {
  it('allows the tile host in the CSP, with a wildcard for {s} subdomains', () => {
    expect(tileHostSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://tile.openstreetmap.org');
    expect(tileHostSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(tileHostSource(null)).toBeNull();
    const csp = webContentSecurityPolicy({ dir: 'dist/web', mapTileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' }, 'https://civic.example.org/');
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("img-src 'self' data: blob: https://*.tile.example.org https://civic.example.org;");
  });

  it('answers client routes with the shell, never the server’s own paths or missing files', () => {
    for (const path of ['/', '/sign-in', '/my-reports', '/report/0b6f7a8e-1f0e-4a53-9c55-6d1d0e2c9a11', '/triage/lille']) expect(isClientRoute(path)).toBe(true);
    for (const path of ['/api', '/api/v1/nope', '/open311/v2/x', '/socket.io/', '/health/ready', '/admin/queues', '/verify-email', '/reset-password', '/assets/missing.js', '/favicon.ico']) {
      expect(isClientRoute(path)).toBe(false);
    }
  });
});
