import { ValidationError } from '../errors.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * Validates a PRC resident identity number (GB 11643-1999: 17 digits, a valid birth date, and the
 * ISO 7064 MOD 11-2 check character) and returns it normalised (upper-case X).
 */
export function normaliseIdNumber(raw: string): string {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) throw invalid();
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth) throw invalid();
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) throw invalid();
  return id;
}

/** Masked for display and logs: first 4 and last 4 characters only. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
}

const invalid = () => new ValidationError('id-number.invalid', '身份证号码格式或校验位不正确');
