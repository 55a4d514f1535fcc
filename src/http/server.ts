import http from 'node:http';

import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';

import { type Adapters, createAdapters } from '../../channels';
import type { Config } from '../config';
import { createLogger } from '../log';
import { PublishQueues } from '../queue/queues';
import type { Db } from '../store';
import { apiRoutes } from './api';
import { registerApiDocs } from './api-docs';
import { installAuth } from './auth';
import { FeedCache } from './feed-cache';
import { type FrameworkError, refusalOf } from './refusals';
import { adminQueueRoutes } from './routes/admin-queues';
import { audioPreviewRoutes } from './routes/audio-preview';
import { deskRoutes } from './routes/desk';
import { deskAdminRoutes } from './routes/desk-admin';
import { deskConnectRoutes } from './routes/desk-connect';
import { deskItemRoutes } from './routes/desk-items';
import { deskPlanRoutes } from './routes/desk-plans';
import { deskReportRoutes } from './routes/desk-report';
import { feedRoutes } from './routes/feed';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { planRoutes } from './routes/plans';
import { postRoutes } from './routes/posts';
import { isApiRequest, sendServerErrorPage, siteFrameRoutes } from './routes/site-frame';

export interface ServerOptions {
  logger?: Logger;
  /** The process's adapters and queues (src/compose.ts); built here once when not given (tests). */
  adapters?: Adapters;
  /** Queues given are closed by their owner; queues made here close with the server. */
  queues?: PublishQueues;
  /** The feed cache's clock (tests). */
  now?: () => number;
}

/**
 * The HTTP server: the portal feed, post pages, health, the desk and the API by resource. Every route gets the same
 * store, adapters and queues: one set per process.
 */
export async function buildServer(db: Db, config: Config, options: ServerOptions = {}): Promise<FastifyInstance> {
  const feeds = new FeedCache(db, config, { freshnessMs: config.feedFreshnessMs, now: options.now });
  // Fastify's own logger is pino: requests and errors as JSON lines, with local times (src/log.ts).
  const app = Fastify({
    loggerInstance: (options.logger ?? createLogger('loa-serve', { level: 'silent' })) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logger }),
    // The feed's polls are most of the traffic and almost all ask for a rendering already made: they are answered in
    // front of Fastify (no routing, hooks, logger or reply objects; see FeedCache.answerFromCache). Everything else,
    // and a feed whose stamp is due to be read again, goes to Fastify as usual.
    serverFactory: (handler, initOptions) => {
      const timeouts = initOptions as { keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number };
      const server = http.createServer((req, res) => {
        if (!feeds.answerFromCache(req, res)) handler(req, res);
      });
      // What Fastify sets on a server it makes itself.
      server.keepAliveTimeout = timeouts.keepAliveTimeout;
      server.requestTimeout = timeouts.requestTimeout;
      server.setTimeout(timeouts.connectionTimeout);
      return server;
    },
  }) as unknown as FastifyInstance;
  // Fastify's own refusals (body too large, bad JSON) reach people too: say them in Vietnamese.
  app.setErrorHandler((error: FrameworkError, req, res) => {
    const { status, message } = refusalOf(error, req);
    if (status >= 500) app.log.error({ err: error }, 'lỗi máy chủ');
    // A person's page that failed gets a page in Vietnamese with the way back; scripts under /api keep JSON.
    if (status >= 500 && !isApiRequest(req)) return sendServerErrorPage(res, status);
    return res.code(status).send({ error: { message } });
  });
  const adapters = options.adapters ?? createAdapters(config);
  const queues = options.queues ?? new PublishQueues(config.redisUrl, config.queuePrefix);
  if (!options.queues) app.addHook('onClose', async () => queues.close());
  // Pages, the API's JSON and the feed go out brotli- or gzip-compressed when the browser asks (a month's calendar
  // or a page of the log is mostly repeated markup: 5–10 times smaller). Registered before every route: the plugin
  // hooks each route as it is added. Files the queue board compresses itself already carry their encoding and pass.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  await registerApiDocs(app);
  // The desk's forms post application/x-www-form-urlencoded (they work without any script).
  await app.register(formbody);
  // The desk's plan upload is multipart/form-data. Registered before the auth hooks so the form's _csrf field is
  // parsed when the CSRF check runs; no route takes a file unless it raises `files` in its own multipartOptions.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 0, fields: 20, fieldSize: 64 * 1024, parts: 25 },
    // keyValues alone would keep only the bytes; the importer also needs the file's name (its type is read from it).
    async onFile(part) {
      const bytes = await part.toBuffer();
      // With throwFileSizeLimit off (the plan upload) a file over the limit arrives cut short: the route refuses it in words.
      (part as unknown as { value: unknown }).value = { name: part.filename, bytes, truncated: part.file.truncated };
    },
  });
  await installAuth(app, db);
  await app.register(apiRoutes, { prefix: '/api', db, config, queues, adapters });
  feedRoutes(app, feeds);
  healthRoutes(app, db, queues);
  postRoutes(app, db);
  planRoutes(app, db);
  deskRoutes(app, db, queues, config);
  deskItemRoutes(app, db, config, adapters);
  deskReportRoutes(app, db, config);
  deskPlanRoutes(app, db, adapters);
  deskAdminRoutes(app, db, config, queues, adapters);
  deskConnectRoutes(app, db, config, adapters);
  siteFrameRoutes(app, db);
  await app.register(adminQueueRoutes, { queues });
  await app.register(metricsRoutes, { db, queues, config });
  audioPreviewRoutes(app, db, adapters);
  return app;
}
