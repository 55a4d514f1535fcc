import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler } from 'fastify-type-provider-zod';

import { AccessError, NotFoundError, StateError, ValidationError } from '../../domain/errors';
import { valueAt } from '../refusals';
import { adminRoutes } from './admin';
import type { ApiDeps } from './deps';
import { itemRoutes } from './items';
import { oversightRoutes } from './oversight';
import { planListRoutes } from './plans';
import { publicationRoutes } from './publications';
import { sessionRoutes } from './session';

/** Where a request-validation problem sits, as a person reads it: "title", "items.0", or the part of the request. */
function fieldOf(error: { validation: Array<{ instancePath: string }>; validationContext?: string }): string {
  const path = error.validation[0]!.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return path || error.validationContext || 'body';
}

/**
 * Everything the CLI does, under /api, each route with its zod schemas beside it. Errors name the field and
 * say why in Vietnamese: 400 bad input, 401 not signed in, 403 role too narrow, 404 missing or another unit's,
 * 409 a state that does not allow it.
 */
export async function apiRoutes(app: FastifyInstance, { db, config, queues, adapters, clock }: ApiDeps): Promise<void> {
  // Requests are validated by the server's zod compiler (server.ts); responses are the API's alone to check.
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, req, res) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0]!;
      // A field left out says so, whatever the field's own type message is (as parseInput does for the CLI).
      const missing =
        first.keyword === 'invalid_type' &&
        valueAt(req, error.validationContext, first.instancePath.split('/').filter(Boolean)) === undefined;
      return res
        .code(400)
        .send({ error: { field: fieldOf(error), message: missing ? 'thiếu, bắt buộc phải có' : first.message } });
    }
    if (error instanceof ValidationError)
      return res.code(400).send({ error: { field: error.field, message: error.reason } });
    if (error instanceof AccessError) return res.code(403).send({ error: { message: error.message } });
    if (error instanceof NotFoundError) return res.code(404).send({ error: { message: error.message } });
    if (error instanceof StateError) return res.code(409).send({ error: { message: error.message } });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500)
      return res.code(status).send({
        error: {
          message:
            status === 413
              ? 'yêu cầu quá lớn'
              : `yêu cầu không hợp lệ (${(error as { code?: string }).code ?? status})`,
        },
      });
    req.log.error({ err: error }, 'lỗi máy chủ');
    return res.code(500).send({ error: { message: 'lỗi máy chủ; xem nhật ký của Loa' } });
  });
  // Each resource is a plugin under this one: it inherits the prefix, the zod compilers and the error handler above
  // (the options are named one by one: Fastify hands `prefix` to the plugin too, and a child would add it again).
  const deps: ApiDeps = { db, config, queues, adapters, clock };
  await app.register(sessionRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(planListRoutes, deps);
  await app.register(itemRoutes, deps);
  await app.register(publicationRoutes, deps);
  await app.register(oversightRoutes, deps);
}
