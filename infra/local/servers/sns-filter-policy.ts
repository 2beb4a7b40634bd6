/**
 * SNS subscription filter policies: parsing with validation, and matching a message against one.
 * Covers exact values, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values or
 * prefix/suffix), `numeric` (=, <, <=, >, >= and ranges), `exists`, `$or`, AND across keys, array
 * values matching when any element does, and nested keys for the MessageBody scope.
 * Not covered: `cidr`, and AWS's size/combination limits.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

type Primitive = string | number | boolean | null;
/** A value a policy is matched against: a message attribute, or a field of a JSON body. */
export type FilterValue = Primitive | FilterValue[] | { [key: string]: FilterValue };

type Condition =
  | Primitive
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': Primitive | Primitive[] | { prefix: string } | { suffix: string } }
  | { numeric: Array<string | number> }
  | { exists: boolean };

/** A validated filter policy. */
export interface FilterPolicy {
  [key: string]: Condition[] | FilterPolicy | FilterPolicy[];
}

/** Thrown for a policy SNS would reject (surfaced as InvalidParameter). */
export class FilterPolicyError extends Error {
  override name = 'FilterPolicyError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPrimitive = (value: unknown): value is Primitive =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Parses and validates a policy's JSON text. */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FilterPolicyError('FilterPolicy: failed to parse JSON');
  }
  validatePolicy(parsed, scope, 'FilterPolicy');
  return parsed;
}

function validatePolicy(policy: unknown, scope: FilterPolicyScope, path: string): asserts policy is FilterPolicy {
  if (!isRecord(policy)) throw new FilterPolicyError(`${path}: must be a JSON object`);
  for (const [key, rule] of Object.entries(policy)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new FilterPolicyError(`${at}: needs an array of 2+ policies`);
      for (const [i, branch] of rule.entries()) validatePolicy(branch, scope, `${at}[${i}]`);
    } else if (Array.isArray(rule)) {
      if (rule.length === 0) throw new FilterPolicyError(`${at}: empty array`);
      for (const condition of rule) validateCondition(condition, at);
    } else if (isRecord(rule) && scope === 'MessageBody') {
      validatePolicy(rule, scope, at);
    } else {
      throw new FilterPolicyError(`${at}: must be an array of conditions`);
    }
  }
}

function validateCondition(condition: unknown, at: string): void {
  if (isPrimitive(condition)) return;
  if (!isRecord(condition)) throw new FilterPolicyError(`${at}: invalid condition`);
  const keys = Object.keys(condition);
  const [operator] = keys;
  const operand = operator === undefined ? undefined : condition[operator];
  if (keys.length !== 1) throw new FilterPolicyError(`${at}: a condition has exactly one operator`);
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new FilterPolicyError(`${at}: ${operator} needs a string`);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new FilterPolicyError(`${at}: exists needs true or false`);
      return;
    case 'anything-but':
      if (isPrimitive(operand) || (Array.isArray(operand) && operand.length > 0 && operand.every(isPrimitive))) return;
      if (isRecord(operand) && Object.keys(operand).length === 1 && typeof (operand.prefix ?? operand.suffix) === 'string') return;
      throw new FilterPolicyError(`${at}: invalid anything-but`);
    case 'numeric':
      validateNumeric(operand, at);
      return;
    default:
      throw new FilterPolicyError(`${at}: unrecognized operator ${operator}`);
  }
}

function validateNumeric(operand: unknown, at: string): void {
  const ok =
    Array.isArray(operand) &&
    ((operand.length === 2 && ['=', '<', '<=', '>', '>='].includes(operand[0])) ||
      (operand.length === 4 && ['>', '>='].includes(operand[0]) && ['<', '<='].includes(operand[2]))) &&
    operand.every((item, i) => (i % 2 === 1 ? typeof item === 'number' && Number.isFinite(item) : true));
  if (!ok) throw new FilterPolicyError(`${at}: numeric needs [op, n] or [>|>=, low, <|<=, high]`);
}

/**
 * True when `subject` (message attributes by name, or the parsed JSON body) satisfies `policy`:
 * every key matches (AND), and a key matches when any of its conditions does (OR).
 */
export function matchesFilterPolicy(policy: FilterPolicy, subject: Record<string, FilterValue>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as FilterPolicy[]).some((branch) => matchesFilterPolicy(branch, subject));
    const value = subject[key];
    if (Array.isArray(rule)) return (rule as Condition[]).some((condition) => matches(condition, value));
    return isRecord(value) && matchesFilterPolicy(rule, value as Record<string, FilterValue>);
  });
}

function matches(condition: Condition, value: FilterValue | undefined): boolean {
  if (isRecord(condition) && 'exists' in condition) return condition.exists === (value !== undefined);
  // Only `exists: false` matches a missing key; `anything-but` needs the key too.
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => matches(condition, item));
  if (isRecord(value)) return false;
  if (!isRecord(condition)) return condition === value;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('suffix' in condition) return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) {
    return typeof value === 'string' && value.toLowerCase() === condition['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    if (isRecord(excluded)) {
      if (typeof value !== 'string') return false;
      return 'prefix' in excluded ? !value.startsWith(excluded.prefix) : !value.endsWith(excluded.suffix);
    }
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  }
  return typeof value === 'number' && matchesNumeric(condition.numeric, value);
}

function matchesNumeric(rule: Array<string | number>, value: number): boolean {
  for (let i = 0; i < rule.length; i += 2) {
    const bound = rule[i + 1] as number;
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[
      rule[i] as '=' | '<' | '<=' | '>' | '>='
    ];
    if (!ok) return false;
  }
  return true;
}
