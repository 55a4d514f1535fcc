import type { FastifyRequest } from 'fastify';

import { MAX_FILE_BYTES } from '../importer';

/** What Fastify or one of its plugins throws when it refuses a request before any route runs. */
export interface FrameworkError {
  statusCode?: number;
  code?: string;
  message: string;
  /** A schema's refusal (Fastify's FST_ERR_VALIDATION): ajv's issues, or the zod type provider's. */
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

/**
 * A JSON-schema refusal (ajv, in English) said in Vietnamese, naming the field; null for a kind not listed here or
 * a refusal from a zod schema (whose messages are already Vietnamese).
 */
function schemaRefusal(error: FrameworkError): string | null {
  const issue = error.validation?.[0];
  if (!issue?.keyword) return null;
  const field = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const where = `${CONTEXTS[error.validationContext ?? ''] ?? 'yêu cầu'}${field ? ` (${field})` : ''}`;
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'maxLength':
      return `${where}: dài quá ${String(p.limit)} ký tự`;
    case 'minLength':
      return `${where}: cần ít nhất ${String(p.limit)} ký tự`;
    case 'pattern':
      return `${where}: có ký tự không được dùng ở đây`;
    case 'required':
      return `${where}: thiếu ${String(p.missingProperty)}`;
    case 'type':
      return `${where}: sai kiểu dữ liệu`;
    case 'enum':
      return `${where}: chỉ nhận một trong các giá trị đã định`;
    default:
      return null;
  }
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
  const schema = error.code === 'FST_ERR_VALIDATION' ? schemaRefusal(error) : null;
  if (schema) return { status, message: `yêu cầu không hợp lệ: ${schema}` };
  if (status < 500) return { status, message: `yêu cầu không hợp lệ: ${error.message}` };
  return { status, message: 'lỗi máy chủ; xem nhật ký của Loa' };
}
