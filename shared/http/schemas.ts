import * as z from 'zod';
import { ID_PATTERN } from '../ids.ts';

/** Building blocks shared by the services' request schemas. */
export const idParam = z.string().regex(ID_PATTERN, { error: '编号格式不正确' });
export const projectParams = z.strictObject({ projectId: idParam });
export const text = (max: number) => z.string().trim().min(1, { error: '不能为空' }).max(max, { error: `不能超过 ${max} 个字符` });
export const instant = z.iso.datetime({ offset: true, error: '须为带时区的 ISO-8601 时间，如 2026-10-01T09:00:00+08:00' });
export const reviewBody = z.strictObject({
  decision: z.enum(['approve', 'return'], { error: 'decision 须为 approve（通过）或 return（退回）' }),
  reasons: text(2000).optional(),
});

/** A file's SHA-256 as the device computed it before uploading (hex). */
export const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' });

/** What a device declares to get a presigned upload slot: what the file is for, and its type, name, size and SHA-256. */
export const uploadSlotBody = <P extends readonly [string, ...string[]]>(purposes: P) =>
  z.strictObject({
    purpose: z.enum(purposes, { error: `purpose 须为 ${purposes.join('、')}` }),
    contentType: text(100),
    fileName: text(200),
    size: z.int().positive(),
    sha256: sha256Hex,
  });

/** `?limit=&cursor=` of a paged list. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_.-]{1,2048}$/, { error: 'cursor 无效' }).optional(),
});
