import { ValidationError } from '../../../shared/errors.ts';
import type { Fen } from '../../../shared/money.ts';
import { QUANTITY_SCALE, type Decimal } from './household.ts';

/**
 * Exact decimal quantities (areas in mu, floor areas in m², counts): parsed from strings into
 * integers scaled by 10^QUANTITY_SCALE and multiplied by integer fen rates in BigInt, so no binary
 * float ever touches an amount.
 *
 * The one rounding rule (四舍五入 to the fen, half up): the exact product quantity × rate is
 * rounded once per line, to the nearest fen, a half fen going up (away from zero; quantities and
 * rates are never negative, so "up"). Lines are rounded before they are summed, never the sum.
 */

const SCALE = 10n ** BigInt(QUANTITY_SCALE);
const HALF = SCALE / 2n;
const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;
/** More integer digits than any real area or count; keeps a typo from becoming an absurd amount. */
const MAX_INTEGER_DIGITS = 12;

/** A quantity as an integer count of 10^-QUANTITY_SCALE units. */
export type ScaledQuantity = bigint;

/**
 * Parses a quantity: a plain non-negative decimal string with at most QUANTITY_SCALE decimal
 * places ("12.35", "0.5", "3"). Numbers are refused even when integral, so a float can never slip
 * in from JSON or a spreadsheet cell; so are signs, exponents, spaces and thousands separators.
 */
export function parseQuantity(value: unknown, label: string): ScaledQuantity {
  if (typeof value !== 'string') {
    throw new ValidationError('quantity.not-a-string', `${label}须以文本形式的十进制数给出（如“12.35”），不接受数值类型，以免二进制浮点误差`, { label });
  }
  if (value.startsWith('-')) {
    throw new ValidationError('quantity.negative', `${label}不能为负数：收到“${value}”`, { label, value });
  }
  const match = DECIMAL_RE.exec(value);
  if (!match) {
    throw new ValidationError('quantity.invalid', `${label}须为非负十进制数（如“12.35”），不得含正负号、指数、空格或千分位：收到“${value}”`, { label, value });
  }
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > QUANTITY_SCALE) {
    throw new ValidationError('quantity.too-precise', `${label}最多保留${QUANTITY_SCALE}位小数：收到“${value}”`, { label, value });
  }
  if (whole.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) {
    throw new ValidationError('quantity.too-large', `${label}数值过大：收到“${value}”`, { label, value });
  }
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(QUANTITY_SCALE, '0'));
}

/** Whether a value is a valid quantity (no throw). */
export function isQuantity(value: unknown): value is Decimal {
  try {
    parseQuantity(value, '数量');
    return true;
  } catch {
    return false;
  }
}

/** The canonical text of a scaled quantity: no trailing zeros, no trailing point ("12.5", "3"). */
export function formatQuantity(scaled: ScaledQuantity): Decimal {
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(QUANTITY_SCALE, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` ("1.50" equals "1.5"). */
export function compareQuantities(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const x = parseQuantity(a, '数量');
  const y = parseQuantity(b, '数量');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * quantity × rate in fen, rounded once by the one rule (half up to the fen). The rate must be a
 * non-negative safe integer; the result must be a safe integer too, or it is refused.
 */
export function multiplyToFen(quantity: Decimal, rateFen: Fen, label = '数量'): Fen {
  if (!Number.isSafeInteger(rateFen) || rateFen < 0) {
    throw new ValidationError('quantity.rate-invalid', `${label}的单价须为以“分”为单位的非负整数：收到 ${String(rateFen)}`, { label, rateFen });
  }
  const exact = parseQuantity(quantity, label) * BigInt(rateFen);
  const fen = (exact + HALF) / SCALE;
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ValidationError('quantity.amount-too-large', `${label}×单价的金额超出可表示范围`, { label, quantity, rateFen });
  }
  return Number(fen);
}

/** Sum of fen amounts, exactly; refuses a total that would leave the safe-integer range. */
export function sumFen(amounts: readonly Fen[]): Fen {
  const total = amounts.reduce((sum, amount) => sum + BigInt(amount), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ValidationError('quantity.amount-too-large', '合计金额超出可表示范围');
  }
  return Number(total);
}
