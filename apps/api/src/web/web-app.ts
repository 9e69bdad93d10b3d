import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebConfig } from '@app/common';

/**
 * Paths that belong to the server, never to the web app: an unknown one among them keeps its JSON
 * 404 instead of getting index.html (the issue-12 pages /verify-email and /reset-password, which
 * the mails link to, included).
 */
const SERVER_PREFIXES = ['/api', '/open311', '/socket.io', '/health', '/admin', '/assets', '/verify-email', '/reset-password'];

/** Hashed Vite assets never change under their name; the shell must be re-checked every time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The app's own Content-Security-Policy: scripts and styles from this origin only (no inline
 * script anywhere), images also from the configured tile host and from PUBLIC_URL (photo URLs are
 * absolute, on the public origin, which differs from the page's behind some proxies and in tests),
 * live updates over this origin's websocket. The API's global policy stays looser only for
 * Swagger UI.
 */
export function webContentSecurityPolicy(config: WebConfig, publicUrl?: string): string {
  const imageSources = ["'self'", 'data:', 'blob:', tileHostSource(config.mapTileUrl), publicUrl ? new URL(publicUrl).origin : null];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${[...new Set(imageSources.filter(Boolean))].join(' ')}`,
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`. */
export function tileHostSource(mapTileUrl: string | null): string | null {
  if (!mapTileUrl) return null;
  const probe = new URL(mapTileUrl.replace(/\{[a-z]\}/g, 'sub'));
  const wildcard = /^\{[a-z]\}\./.test(mapTileUrl.replace(/^https?:\/\//, ''));
  const host = wildcard ? `*.${probe.host.split('.').slice(1).join('.')}` : probe.host;
  return `${probe.protocol}//${host}`;
}

/** Client-side routes answer with the shell; everything else that is not a file is the server's. */
export function isClientRoute(path: string): boolean {
  if (SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/**
 * Serves the built web app (apps/web, `npm run build:web`) at `/`: files under /assets/ (content
 * hashed) immutable, the shell (index.html, with the map tile URL written into a meta tag — no
 * inline script needed) revalidated, and the shell again for any client route. Without a build
 * (unit tests, an API-only deployment) `/` points at the API documentation instead.
 * Returns whether the app is served.
 */
export function serveWebApp(fastify: FastifyInstance, config: WebConfig, publicUrl: string): boolean {
  const dir = isAbsolute(config.dir) ? config.dir : join(process.cwd(), config.dir);
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    fastify.get('/', (_request, reply) => reply.redirect('/api/docs', 302));
    return false;
  }
  const csp = webContentSecurityPolicy(config, publicUrl);
  const shell = readFileSync(indexFile, 'utf8').replace(
    '<meta name="map-tile-url" content="">',
    `<meta name="map-tile-url" content="${escapeAttribute(config.mapTileUrl ?? '')}">`,
  );
  const etag = `"${createHash('sha256').update(shell).digest('base64url').slice(0, 27)}"`;

  void fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    // Routes for the files present at start only: no catch-all that would shadow the API's 404s.
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    globIgnore: ['**/index.html'],
    setHeaders: (reply: FastifyReply, path: string) => {
      reply.header('Cache-Control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE);
      reply.header('Content-Security-Policy', csp);
    },
  });

  const sendShell = (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', REVALIDATE).header('ETag', etag).header('Content-Security-Policy', csp);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(shell);
  };
  fastify.get('/', sendShell);
  fastify.get('/index.html', sendShell);
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0];
    if (!isClientRoute(path)) return reply.callNotFound();
    return sendShell(request, reply);
  });
  return true;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
