import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, requestIdOf, serializeReply } from '@app/common';
import { Logger } from 'nestjs-pino';
import { parse as parseNestedQuery } from 'qs';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter';
import { StrictValidationPipe } from './common/validation';
import { guardAgainstHostileInput } from './common/hostile-input';
import { serveWebApp } from './web/web-app';
import { ErrorResponseDto } from './common/error-response.dto';
import { withErrorResponses } from './common/openapi-errors';

/** The largest JSON or form body accepted (photos come as multipart, under their own limits). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** A panel pool CSV (POST /panels/:id/pool/import): 50,000 rows of a few short columns. */
export const CSV_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Fastify rather than Express: on this 2-core machine Nest on Express spent about three times
 * the CPU per request of Nest on Fastify before any of our code ran (bench/http.bench.ts).
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed from a proxy on this host only (nginx, a local balancer).
    trustProxy: 'loopback',
    // A long bad id or slug gets its 400 or 404 from us, not a bare 414-like router refusal.
    routerOptions: { maxParamLength: 16_384, ignoreTrailingSlash: true },
    // The id logs and the X-Request-Id response header carry: the client's if sane.
    genReqId: requestIdOf,
    requestIdHeader: false,
  });
  // Set before any route exists: each route keeps the serializer it was registered with.
  adapter.getInstance().setReplySerializer(serializeReply);
  return adapter;
}

/**
 * Everything about the HTTP pipeline that is not a module: shared by main.ts and the e2e tests,
 * so tests exercise exactly what production runs.
 */
export function configureApp(app: NestFastifyApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id);
      done();
    });
  // Open311 clients post `attribute[code]=a&attribute[sides][]=n`, which only a nested parser
  // reads as `{attribute: {code, sides: [...]}}`; JSON bodies need no such help. Async: the
  // adapter takes a two-argument parser's result from its promise, and would wait forever on a value.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: BODY_LIMIT_BYTES }, async (_req: unknown, body: Buffer) =>
    parseNestedQuery(body.toString('utf8'), { depth: 2, parameterLimit: 1000, arrayLimit: 100 }),
  );
  // Panel pools arrive as text/csv, read as one string and parsed by the panels library.
  app.useBodyParser('text/csv', { bodyLimit: CSV_BODY_LIMIT_BYTES }, async (_req: unknown, body: Buffer) => body.toString('utf8'));
  guardAgainstHostileInput(app, BODY_LIMIT_BYTES);
  // The strict default policy (script-src 'self', no inline scripts) on every response; only
  // Swagger UI's own pages get the inline scripts they need.
  app.useSecurityHeaders();
  relaxContentSecurityPolicyForDocs(app);
  app.enableCors({ origin: config.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag'] });
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  // socket.io on the same HTTP server, with the config's CORS and the shared Redis adapter.
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  app.enableShutdownHooks();

  // Built on the first request for the docs (then kept), not at every start: scanning every
  // route and DTO costs about 0.3 s of CPU, paid by each instance and each e2e suite's app.
  const document = () =>
    withErrorResponses(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Civic participation platform')
          .setDescription('Reports, triage, proposals, budgets, panels and workshops for municipalities.')
          .setVersion('1')
          .addBearerAuth()
          .build(),
        { extraModels: [ErrorResponseDto] },
      ),
    );
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
  // The web app at `/` with its own strict CSP (apps/web); `/` is the docs when it is not built.
  serveWebApp(app.getHttpAdapter().getInstance(), config.web, config.publicUrl);
  return app;
}

/** Swagger UI's page and assets: the one place that runs inline scripts. */
export const DOCS_PATH = 'api/docs';
const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
].join(';');

function relaxContentSecurityPolicyForDocs(app: NestFastifyApplication): void {
  const docs = `/${DOCS_PATH}`;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const path = request.url.split('?')[0];
      // Headers given to Fastify win over the ones the security hook set on the raw response.
      if (path === docs || path.startsWith(`${docs}/`)) reply.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
      done(null, payload);
    });
}

/** Creates the Nest app the same way in production and in tests. */
export async function createApiApp(rootModule: unknown): Promise<NestFastifyApplication> {
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, createHttpAdapter(), { bufferLogs: true });
  configureApp(app);
  return app;
}
