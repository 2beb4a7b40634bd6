import * as z from 'zod';

/** Money is integer fen (分). Never floats. */
export type Fen = number;

/** A non-negative amount in fen, as a safe integer. */
export const fenSchema = z
  .number({ error: '金额必须是以“分”为单位的整数' })
  .int({ error: '金额必须是以“分”为单位的整数' })
  .nonnegative({ error: '金额不能为负数' })
  .max(Number.MAX_SAFE_INTEGER);

/** Formats fen as yuan for documents: 123456 → "1,234.56". */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
