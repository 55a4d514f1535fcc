import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { PLATFORMS } from '../../../channels';
import { importPlanAs } from '../../actions/plans';
import { AccessError } from '../../domain/errors';
import { findForbiddenCharacter } from '../../domain/text';
import { diffPlans, ImportError, type ImportErrorReason, importPlanBuffer, MAX_FILE_BYTES } from '../../importer';
import type { HttpDeps } from '../deps';

const STATUS: Record<ImportErrorReason, number> = {
  empty: 422,
  'too-large': 413,
  'unsupported-type': 415,
  binary: 415,
  'no-text-layer': 422,
  unreadable: 422,
  'not-a-plan': 422,
};

/** Plan documents arrive as the raw file body; these types are read as bytes and handed to the importer. */
const DOCUMENT_TYPES = [
  'application/octet-stream',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
];

/** A header value percent-decoded, or null when it is malformed or holds control characters. */
function decodeHeader(value: string): string | null {
  try {
    const decoded = decodeURIComponent(value);
    return findForbiddenCharacter(decoded) ? null : decoded;
  } catch {
    return null;
  }
}

/**
 * POST /api/plans — the same import as `loa import`: body = the file, header X-Loa-Filename = its name (the type
 * is read from its extension); who imports it is the signed-in person (token or session). 201 created, 200 unchanged or updated (with changes).
 */
export async function planRoutes(app: FastifyInstance, { db }: Pick<HttpDeps, 'db'>): Promise<void> {
  app.register(async (scope) => {
    scope.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.post<{ Body: Buffer; Headers: { 'x-loa-filename'?: string } }>(
      '/api/plans',
      { bodyLimit: MAX_FILE_BYTES },
      async (req, res) => {
        // Who imports is the signed-in person (the auth hook answered 401 otherwise), no longer a header anyone could set.
        const actor = req.actor!;
        const decodedName = decodeHeader(req.headers['x-loa-filename'] ?? '');
        if (decodedName === null)
          return res.code(400).send({
            error: { field: 'X-Loa-Filename', message: 'mã hoá phần trăm (%…) sai hoặc có ký tự điều khiển' },
          });
        const name = path.basename(decodedName);
        if (!name)
          return res.code(400).send({
            error: { field: 'X-Loa-Filename', message: 'cần tên tệp, ví dụ ke-hoach.docx (tiêu đề X-Loa-Filename)' },
          });
        if (!Buffer.isBuffer(req.body))
          return res.code(415).send({
            error: { field: 'Content-Type', message: 'gửi nội dung tệp với Content-Type application/octet-stream' },
          });
        try {
          const imported = await importPlanBuffer({ buffer: req.body, name }, PLATFORMS);
          const outcome = await importPlanAs(db.kysely, actor, {
            plan: imported.plan,
            sourceName: name,
            sourceHash: imported.sourceHash,
          });
          const changes = outcome.kind === 'updated' ? diffPlans(outcome.previous, imported.plan, PLATFORMS) : [];
          return res.code(outcome.kind === 'created' ? 201 : 200).send({
            id: outcome.plan.id,
            outcome: outcome.kind,
            changes,
            proposedUnits: outcome.proposedUnits,
            plan: imported.plan,
            report: imported.report,
          });
        } catch (error) {
          // Another unit's plan: refused naming its owner (src/actions/plans.ts), nothing stored.
          if (error instanceof AccessError)
            return res.code(403).send({ error: { field: 'plan', message: error.message } });
          if (error instanceof ImportError)
            return res
              .code(STATUS[error.reason])
              .send({ error: { field: error.field, reason: error.reason, message: error.message } });
          throw error;
        }
      },
    );
  });
}
