import * as z from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { ValidationError } from '../errors.ts';

let configured = false;

/** Zod's messages in Chinese (its zh-CN locale), set once per process. */
export function useChineseValidationMessages(): void {
  if (configured) return;
  z.config(zhCN());
  configured = true;
}

const WHERE = { params: '路径参数', query: '查询参数', body: '请求体' } as const;

/** A 400 listing every problem: where, which field, what is wrong (Chinese). */
export function validationError(error: z.ZodError, where: keyof typeof WHERE): ValidationError {
  const issues = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(根)',
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const summary = first ? `${first.field}：${first.message}` : '格式不正确';
  return new ValidationError('request.invalid', `${WHERE[where]}不符合要求 — ${summary}`, { where, issues });
}
