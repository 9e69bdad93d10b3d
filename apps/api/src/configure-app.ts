import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@app/common';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter';
import { StrictValidationPipe } from './common/validation';

export const BODY_LIMIT = '1mb';

/**
 * Everything about the HTTP pipeline that is not a module: shared by main.ts and the e2e tests,
 * so tests exercise exactly what production runs.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
  app.use(
    helmet({
      // Swagger UI needs inline scripts and styles on its own page only.
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'", 'https:'] },
      },
    }),
  );
  app.enableCors({ origin: config.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag'] });
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  // socket.io on the same HTTP server, with the config's CORS and the shared Redis adapter.
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Civic participation platform')
      .setDescription('Reports, triage, proposals, budgets, panels and workshops for municipalities.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Creates the Nest app the same way in production and in tests. */
export async function createApiApp(rootModule: unknown): Promise<NestExpressApplication> {
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.create<NestExpressApplication>(rootModule as never, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  return app;
}
