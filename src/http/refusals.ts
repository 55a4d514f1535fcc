import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

import { MAX_FILE_BYTES } from '../importer';
import { formLabels } from './forms';

/** What Fastify or one of its plugins throws when it refuses a request before any route runs. */
export interface FrameworkError {
  statusCode?: number;
  code?: string;
  message: string;
  /** A schema's refusal (Fastify's FST_ERR_VALIDATION): the zod type provider's issues. */
  validation?: Array<{ keyword?: string; instancePath?: string; params?: Record<string, unknown>; message?: string }>;
  validationContext?: string;
}

/** Where in the request a schema looked, as a person would call it. */
const CONTEXTS: Record<string, string> = {
  params: 'địa chỉ',
  querystring: 'tham số',
  body: 'nội dung',
  headers: 'tiêu đề',
};

type Issue = NonNullable<FrameworkError['validation']>[number];

/** The label a route's schema gives the field at `path` (src/http/forms.ts), or undefined when it gives none. */
function labelOf(req: FastifyRequest, context: string | undefined, path: string[]): string | undefined {
  const schema = (req.routeOptions?.schema as Record<string, unknown> | undefined)?.[context ?? 'body'];
  // A part labelled as a whole (a platform's answer: keys it chooses) is named by that label.
  const whole = schema instanceof z.ZodType ? formLabels.get(schema)?.label : undefined;
  if (whole !== undefined) return whole;
  if (!(schema instanceof z.ZodObject) || path.length === 0) return undefined;
  const shape = schema.shape as Record<string, z.ZodType | undefined>;
  const fieldSchema = shape[path[0]!];
  return fieldSchema ? formLabels.get(fieldSchema)?.label : undefined;
}

/** The value a refused field holds (zod does not repeat the input in its issues), to tell missing from wrong. */
export function valueAt(req: FastifyRequest, context: string | undefined, path: string[]): unknown {
  const part = { body: req.body, querystring: req.query, params: req.params, headers: req.headers }[context ?? 'body'];
  return path.reduce<unknown>(
    (value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
    part,
  );
}

/**
 * Why a schema refused a field, in the words of the desk: zod's own messages are Vietnamese but speak of types
 * ("mong đợi string"); a person reads "dài quá 200 ký tự". What the person sent is never repeated (a link could
 * otherwise put its own sentence on the page).
 */
function reasonOf(issue: Issue, missing: boolean): string {
  const p = issue.params ?? {};
  const unit = p.origin === 'array' ? 'mục' : 'ký tự';
  switch (issue.keyword) {
    case 'invalid_type':
      if (missing) return 'thiếu, bắt buộc phải có';
      if (p.expected === 'number' || p.expected === 'int') return 'phải là một số';
      if (p.expected === 'string') return 'chỉ nhận một giá trị chữ';
      return 'sai kiểu dữ liệu';
    case 'too_big':
      return p.origin === 'number' ? `lớn quá (tối đa ${String(p.maximum)})` : `dài quá ${String(p.maximum)} ${unit}`;
    case 'too_small':
      return p.origin === 'number' ? 'phải là số dương' : `cần ít nhất ${String(p.minimum)} ${unit}`;
    case 'invalid_value':
      return 'không phải một lựa chọn của biểu mẫu';
    case 'invalid_format':
      return 'có ký tự không được dùng ở đây';
    default:
      return issue.message ?? 'không hợp lệ';
  }
}

/**
 * A schema's refusal (the zod compiler's, for the whole server) as one Vietnamese sentence naming the field by its
 * form's label, or by the part of the request and its key where the schema gives no label.
 */
function schemaRefusal(error: FrameworkError, req: FastifyRequest): string | null {
  const issue = error.validation?.[0];
  if (!issue?.keyword) return null;
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  const context = error.validationContext;
  const label = labelOf(req, context, path);
  const where = label ?? `${CONTEXTS[context ?? ''] ?? 'yêu cầu'}${path.length ? ` (${path.join('.')})` : ''}`;
  const missing = issue.keyword === 'invalid_type' && valueAt(req, context, path) === undefined;
  return `${where}: ${reasonOf(issue, missing)}`;
}

const MB = Math.round(MAX_FILE_BYTES / 1024 / 1024);

/** How many files the route takes (its own multipartOptions), 0 for every route but the plan upload. */
function filesAccepted(req: FastifyRequest): number {
  const options = (req.routeOptions?.config as { multipartOptions?: { limits?: { files?: number } } } | undefined)
    ?.multipartOptions;
  return options?.limits?.files ?? 0;
}

/**
 * Fastify's own refusals as one Vietnamese sentence and a status. Multipart is parsed for the whole server (the
 * desk's forms carry their CSRF token in it), so each of its limits gets its own sentence: a file sent where no
 * file is taken is not "too large".
 */
export function refusalOf(error: FrameworkError, req: FastifyRequest): { status: number; message: string } {
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_FILES_LIMIT': {
      const accepted = filesAccepted(req);
      // 415: a file is a kind of content this address does not take; not a matter of size.
      return accepted === 0
        ? { status: 415, message: 'trang này không nhận tệp tải lên' }
        : { status: 413, message: `mỗi lần chỉ gửi ${accepted} tệp` };
    }
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, message: `tệp quá lớn (tối đa ${MB} MB)` };
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, message: 'biểu mẫu có quá nhiều trường' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'nội dung gửi lên quá lớn' };
  }
  if (status === 413) return { status, message: 'nội dung gửi lên quá lớn' };
  const schema = error.code === 'FST_ERR_VALIDATION' ? schemaRefusal(error, req) : null;
  if (schema) return { status, message: `yêu cầu không hợp lệ: ${schema}` };
  if (status < 500) return { status, message: `yêu cầu không hợp lệ: ${error.message}` };
  return { status, message: 'lỗi máy chủ; xem nhật ký của Loa' };
}
