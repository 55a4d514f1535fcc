import { z } from 'zod';

import { ValidationError } from './errors';
import {
  findForbiddenCharacter,
  findLegacyEncoding,
  forbiddenCharacterReason,
  legacyEncodingReason,
  nfc,
} from './text';

/** Broadcast priority levels of Thông tư 39/2020/TT-BTTTT (đài truyền thanh cấp xã). */
export const PRIORITIES = { 'thong-thuong': 'thông thường', 'uu-tien': 'ưu tiên', 'khan-cap': 'khẩn cấp' } as const;
export type Priority = keyof typeof PRIORITIES;

export interface ContentItem {
  id: number;
  planId: number;
  areaKey: string;
  unitId: string;
  title: string;
  body: string;
  link: string | null;
  image: string | null;
  priority: Priority;
  author: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  /** Sent back to its author by a supervisor, with the reason; cleared when the author edits it or it is approved. */
  rejection?: { by: string; at: Date; reason: string } | null;
  /** Taken back by an officer: it is not published again and its published posts are off the feed. */
  withdrawal?: { by: string; at: Date; reason: string } | null;
  /** The last person who edited it (null when never edited). */
  editedBy?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Refuses control characters and non-characters, naming the field: they would break the feed for every reader. */
const cleanCharacters = (field: string) => (value: string, ctx: z.RefinementCtx) => {
  const found = findForbiddenCharacter(value);
  if (found) ctx.addIssue({ code: 'custom', message: `${field} ${forbiddenCharacterReason(found)}` });
};

/** Refuses text damaged by a legacy encoding (TCVN3 read as Latin-1): stored, it would be published as gibberish. */
const unmangled = (field: string) => (value: string, ctx: z.RefinementCtx) => {
  const found = findLegacyEncoding(value);
  if (found) ctx.addIssue({ code: 'custom', message: `${field} ${legacyEncodingReason(found)}` });
};

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} phải là chữ` })
    // Checked before trimming: trim() would silently drop a trailing U+000B, U+000C or U+0085.
    .superRefine(cleanCharacters(field))
    .superRefine(unmangled(field))
    .transform((value) => nfc(value).replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, `${field} không được để trống`).max(max, `${field} dài quá ${max} ký tự`));

/** Longest link or image address kept (browsers and platforms cut or refuse longer ones; 2,048 is the usual bound). */
export const MAX_URL_LENGTH = 2048;

const optionalUrl = (field: string) =>
  z
    .string()
    .trim()
    .superRefine(cleanCharacters(field))
    .pipe(z.string().max(MAX_URL_LENGTH, `${field} dài quá ${MAX_URL_LENGTH} ký tự`))
    .transform((v) => (v === '' ? null : v))
    .pipe(
      z
        .url({ protocol: /^https?$/, error: `${field} phải là địa chỉ web đầy đủ bắt đầu bằng http:// hoặc https://` })
        .nullable(),
    )
    .nullish()
    .transform((v) => v ?? null);

const priority = z.enum(Object.keys(PRIORITIES) as [Priority, ...Priority[]], {
  error: `priority phải là một trong: ${Object.keys(PRIORITIES).join(', ')}`,
});

const fields = {
  plan: z.coerce.number({ error: 'plan phải là số kế hoạch trong Loa' }).int().positive('plan phải là số dương'),
  area: text('area', 64),
  unit: text('unit', 128),
  title: text('title', 300),
  body: text('body', 20000),
  link: optionalUrl('link'),
  image: optionalUrl('image'),
};

/** What an officer gives to write a content item (CLI, CSV/JSON file, HTTP). Field names are the file's columns. */
export const contentItemInput = z.object({ ...fields, priority: priority.default('thong-thuong') });
export type ContentItemInput = z.infer<typeof contentItemInput>;

/** An edit: only the fields given change (no defaults filled in). */
export const contentItemPatch = z.object({ ...fields, priority }).partial();
export type ContentItemPatch = z.infer<typeof contentItemPatch>;

/** Parses with a zod schema and turns the first problem into a ValidationError naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where = ''): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].filter(Boolean).join('.');
  // zod does not keep the input on its issues: look the value up to tell "missing" from "of the wrong kind".
  const given = issue.path.reduce<unknown>(
    (at, key) => (at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined),
    value,
  );
  const message = issue.code === 'invalid_type' && given === undefined ? 'thiếu, bắt buộc phải có' : issue.message;
  throw new ValidationError(field || 'dữ liệu', message);
}
