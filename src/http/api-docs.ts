import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

import { LOA_VERSION } from '../config';

/**
 * The OpenAPI document, generated from the routes' own zod schemas and served at /api/openapi.json. Registered
 * before any route, because @fastify/swagger collects routes as they are added. Only /api routes are described.
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Loa API',
        description:
          'Mọi việc của lệnh loa, qua HTTP. Đăng nhập bằng phiên (cookie) hoặc mã truy cập (Authorization: Bearer).',
        version: LOA_VERSION,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'loa_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // Feed, post pages and /health are for readers and monitors, not the API: left out of the document.
    transform: (route) =>
      route.url.startsWith('/api/')
        ? jsonSchemaTransform(route)
        : { schema: { ...route.schema, hide: true }, url: route.url },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
