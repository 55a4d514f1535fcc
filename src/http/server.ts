import http from 'node:http';

import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';

import { type Adapters, createAdapters } from '../../channels';
import type { Config } from '../config';
import { type Clock, systemClock } from '../domain/clock';
import { createLogger } from '../log';
import { PublishQueues } from '../queue/queues';
import type { Db } from '../store';
import { WriteStop } from '../store/integrity';
import { apiRoutes } from './api';
import { registerApiDocs } from './api-docs';
import { installAuth } from './auth';
import type { HttpDeps } from './deps';
import { FeedCache } from './feed-cache';
import { type FrameworkError, refusalOf } from './refusals';
import { adminQueueRoutes } from './routes/admin-queues';
import { audioPreviewRoutes } from './routes/audio-preview';
import { deskRoutes } from './routes/desk';
import { deskAdminRoutes } from './routes/desk-admin';
import { deskConnectRoutes } from './routes/desk-connect';
import { deskItemRoutes } from './routes/desk-items';
import { deskOversightRoutes } from './routes/desk-oversight';
import { deskPlanRoutes } from './routes/desk-plans';
import { deskReportRoutes } from './routes/desk-report';
import { signInRoutes } from './routes/desk-sign-in';
import { feedRoutes } from './routes/feed';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { planRoutes } from './routes/plans';
import { postRoutes } from './routes/posts';
import { isApiRequest, sendRefusalPage, sendServerErrorPage, siteFrameRoutes, wantsPage } from './routes/site-frame';

export interface ServerOptions {
  logger?: Logger;
  /** The process's adapters and queues (src/compose.ts); built here once when not given (tests). */
  adapters?: Adapters;
  /** Queues given are closed by their owner; queues made here close with the server. */
  queues?: PublishQueues;
  /** The feed cache's clock (tests). */
  now?: () => number;
  /** What "now" is for the calendar (the composition root's; a test's fixed day); default the system's. */
  clock?: Clock;
  /** Time limits of a connection (tests shorten them); defaults in REQUEST_TIMEOUTS. */
  timeouts?: Partial<typeof REQUEST_TIMEOUTS>;
}

/**
 * How long a client may take, so that one sending its request a byte every few seconds cannot hold a connection (and
 * its memory) for ever: the whole request, headers and body, within `requestMs` (Node answers 408 and closes; a
 * 50 MB plan in 60 s needs 7 Mbit/s, and plans are a few MB), the headers within `headersMs`, and a connection idle
 * for `idleMs` is closed. Node's http server checks the request limits every `checkEveryMs`.
 */
export const REQUEST_TIMEOUTS = { requestMs: 60_000, headersMs: 20_000, idleMs: 60_000, checkEveryMs: 5_000 };

/**
 * The HTTP server: the portal feed, post pages, health, the desk and the API by resource. Every route gets the same
 * store, adapters and queues: one set per process.
 */
export async function buildServer(db: Db, config: Config, options: ServerOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const feeds = new FeedCache(db, config, { freshnessMs: config.feedFreshnessMs, now: options.now });
  const limits = { ...REQUEST_TIMEOUTS, ...options.timeouts };
  // Fastify's own logger is pino: requests and errors as JSON lines, with local times (src/log.ts).
  const app = Fastify({
    loggerInstance: (options.logger ?? createLogger('loa-serve', { level: 'silent' })) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logger }),
    connectionTimeout: limits.idleMs,
    // Longer than any id a route takes, so each route's own schema refuses a long one in words (Fastify's default,
    // 100, answered 414 FST_ERR_MAX_PARAM_LENGTH in English before the route ran).
    routerOptions: { maxParamLength: 2000 },
    requestTimeout: limits.requestMs,
    // The feed's polls are most of the traffic and almost all ask for a rendering already made: they are answered in
    // front of Fastify (no routing, hooks, logger or reply objects; see FeedCache.answerFromCache). Everything else,
    // and a feed whose stamp is due to be read again, goes to Fastify as usual.
    serverFactory: (handler, initOptions) => {
      const timeouts = initOptions as { keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number };
      const server = http.createServer(
        {
          requestTimeout: timeouts.requestTimeout,
          headersTimeout: Math.min(limits.headersMs, timeouts.requestTimeout),
          connectionsCheckingInterval: Math.min(limits.checkEveryMs, timeouts.requestTimeout),
        },
        (req, res) => {
          if (!feeds.answerFromCache(req, res)) handler(req, res);
        },
      );
      // What Fastify sets on a server it makes itself.
      server.keepAliveTimeout = timeouts.keepAliveTimeout;
      server.setTimeout(timeouts.connectionTimeout);
      return server;
    },
  }) as unknown as FastifyInstance;
  // One way to declare what a request may hold: zod schemas, for the API's JSON and the desk's forms and addresses
  // alike (src/http/forms.ts), set here once so every route of the server inherits it.
  app.setValidatorCompiler(validatorCompiler);
  // Fastify's own refusals (body too large, bad JSON) reach people too: say them in Vietnamese.
  // The first corruption error any request meets stops every write of this server: reads still answer
  // (what they can), writes get 503 with what to do, until it is restarted on a restored database.
  const writes = new WriteStop();
  app.addHook('onRequest', async (req, res) => {
    if (writes.stopped && !['GET', 'HEAD', 'OPTIONS'].includes(req.method))
      return res.code(503).send({ error: { message: writes.stopped } });
  });
  app.setErrorHandler((error: FrameworkError, req, res) => {
    if (writes.noteError(error, db.description)) app.log.error({ err: error }, writes.stopped!);
    const { status, message } = refusalOf(error, req);
    if (status >= 500) req.log.error({ err: error }, 'lỗi máy chủ');
    // A person's page that failed gets a page in Vietnamese with the way back; scripts under /api keep JSON, and so
    // do the scripts of the desk's own pages (the queue board's calls), which do not ask for HTML.
    if (status >= 500 && !isApiRequest(req)) return sendServerErrorPage(res, status);
    if (wantsPage(req)) return sendRefusalPage(res, status, message);
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
  // Every route file is a plugin taking what it uses of the process's store, config, queues and adapters. The desk,
  // its administration and the site frame share the server's scope (their guards and the not-found page are the
  // whole site's): the desk pages registered after the desk's guard are covered by it.
  const deps: HttpDeps = { db, config, queues, adapters, clock };
  await app.register(apiRoutes, { prefix: '/api', ...deps });
  await app.register(feedRoutes, { feeds });
  await app.register(healthRoutes, { db, queues, writes });
  await app.register(postRoutes, { db });
  await app.register(planRoutes, { db });
  await app.register(deskRoutes, { db, queues, adapters });
  await app.register(signInRoutes, { db, config });
  await app.register(deskItemRoutes, { db, config, adapters });
  await app.register(deskReportRoutes, { db, config });
  await app.register(deskOversightRoutes, { db });
  await app.register(deskPlanRoutes, { db, adapters, clock });
  await app.register(deskAdminRoutes, deps);
  await app.register(deskConnectRoutes, deps);
  await app.register(siteFrameRoutes, { db });
  await app.register(adminQueueRoutes, { queues });
  await app.register(metricsRoutes, { db, queues, config });
  await app.register(audioPreviewRoutes, { db, adapters });
  return app;
}
