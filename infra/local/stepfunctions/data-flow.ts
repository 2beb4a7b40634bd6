/**
 * How a state's input becomes its output: InputPath → Parameters → (work) → ResultSelector →
 * ResultPath → OutputPath, plus payload templates with `.$` keys and Choice rule evaluation.
 */
import type { AslState, ChoiceRule, Json, JsonObject } from './asl.ts';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.ts';
import { queryPath, readPath, selectPath, setPath } from './json-path.ts';
import { StatesError, runtimeError } from './states-error.ts';

/** Applies a payload template (Parameters, ResultSelector, ItemSelector). */
export function applyTemplate(template: Json, input: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, context));
  if (typeof template !== 'object' || template === null) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      out[key] = applyTemplate(value, input, context);
      continue;
    }
    if (typeof value !== 'string') throw runtimeError(`The value of field '${key}' must be a path or intrinsic`);
    out[key.slice(0, -2)] = isIntrinsic(value)
      ? evaluateIntrinsic(value, input, context)
      : readPath(value, input, context, `the field '${key}'`);
  }
  return out;
}

/** A field that takes a path or an intrinsic (ErrorPath, CausePath): its value, or States.Runtime if absent. */
export function evaluateValue(expression: string, input: Json, context: Json, field: string): Json {
  return isIntrinsic(expression)
    ? evaluateIntrinsic(expression, input, context)
    : readPath(expression, input, context, `the field '${field}'`);
}

/** InputPath then Parameters: what the state works on. */
export function effectiveInput(state: AslState, input: Json, context: Json): Json {
  const selected =
    state.InputPath === undefined ? input : state.InputPath === null ? {} : selectPath(state.InputPath, input, context);
  return state.Parameters === undefined ? selected : applyTemplate(state.Parameters, selected, context);
}

/** ResultSelector, ResultPath (onto the raw state input), then OutputPath. */
export function stateOutput(state: AslState, rawInput: Json, result: Json, context: Json): Json {
  const selected = state.ResultSelector === undefined ? result : applyTemplate(state.ResultSelector, result, context);
  return applyOutputPath(state, placeResult(state.ResultPath, rawInput, selected), context);
}

export function placeResult(resultPath: string | null | undefined, rawInput: Json, result: Json): Json {
  if (resultPath === undefined) return result;
  if (resultPath === null) return rawInput;
  return setPath(rawInput, resultPath, result);
}

export function applyOutputPath(state: AslState, value: Json, context: Json): Json {
  if (state.OutputPath === undefined) return value;
  if (state.OutputPath === null) return {};
  return selectPath(state.OutputPath, value, context);
}

/** Picks the Choice state's next state, or fails with States.NoChoiceMatched. */
export function chooseNext(state: AslState, input: Json, context: Json): string {
  for (const rule of state.Choices ?? []) {
    if (matches(rule, input, context)) return rule.Next!;
  }
  if (state.Default !== undefined) return state.Default;
  throw new StatesError('States.NoChoiceMatched', 'No Choice rule matched and there was no Default');
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Comparison = (a: Json, b: Json) => boolean;
const typed =
  <T>(is: (v: Json) => v is Json & T, cmp: (a: T, b: T) => boolean): Comparison =>
  (a, b) =>
    is(a) && is(b) && cmp(a, b);
const isString = (v: Json): v is string => typeof v === 'string';
const isNumber = (v: Json): v is number => typeof v === 'number';
const isBoolean = (v: Json): v is boolean => typeof v === 'boolean';
const isTimestamp = (v: Json): v is string => typeof v === 'string' && TIMESTAMP.test(v);
const time = (s: string) => Date.parse(s);

const comparisons: Record<string, Comparison> = {
  StringEquals: typed(isString, (a, b) => a === b),
  StringLessThan: typed(isString, (a, b) => a < b),
  StringGreaterThan: typed(isString, (a, b) => a > b),
  StringLessThanEquals: typed(isString, (a, b) => a <= b),
  StringGreaterThanEquals: typed(isString, (a, b) => a >= b),
  StringMatches: typed(isString, (a, pattern) => wildcard(pattern).test(a)),
  NumericEquals: typed(isNumber, (a, b) => a === b),
  NumericLessThan: typed(isNumber, (a, b) => a < b),
  NumericGreaterThan: typed(isNumber, (a, b) => a > b),
  NumericLessThanEquals: typed(isNumber, (a, b) => a <= b),
  NumericGreaterThanEquals: typed(isNumber, (a, b) => a >= b),
  BooleanEquals: typed(isBoolean, (a, b) => a === b),
  TimestampEquals: typed(isTimestamp, (a, b) => time(a) === time(b)),
  TimestampLessThan: typed(isTimestamp, (a, b) => time(a) < time(b)),
  TimestampGreaterThan: typed(isTimestamp, (a, b) => time(a) > time(b)),
  TimestampLessThanEquals: typed(isTimestamp, (a, b) => time(a) <= time(b)),
  TimestampGreaterThanEquals: typed(isTimestamp, (a, b) => time(a) >= time(b)),
};

const typeTests: Record<string, (found: boolean, value: Json) => boolean> = {
  IsPresent: (found) => found,
  IsNull: (found, v) => found && v === null,
  IsNumeric: (found, v) => found && isNumber(v),
  IsString: (found, v) => found && isString(v),
  IsBoolean: (found, v) => found && isBoolean(v),
  IsTimestamp: (found, v) => found && isTimestamp(v),
};

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/\\(.)|\*|[.+?^${}()|[\]]/g, (m, escaped: string | undefined) =>
    escaped !== undefined ? escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : m === '*' ? '.*' : `\\${m}`,
  );
  return new RegExp(`^${source}$`, 's');
}

function matches(rule: ChoiceRule, input: Json, context: Json): boolean {
  if (rule.And) return rule.And.every((r) => matches(r, input, context));
  if (rule.Or) return rule.Or.some((r) => matches(r, input, context));
  if (rule.Not) return !matches(rule.Not, input, context);
  if (rule.Variable === undefined) throw runtimeError(`Choice rule has no Variable: ${JSON.stringify(rule)}`);
  const operator = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment');
  if (!operator) throw runtimeError(`Choice rule has no comparison: ${JSON.stringify(rule)}`);
  const { found, value } = queryPath(rule.Variable, input, context);
  const expected = rule[operator] as Json;
  const typeTest = typeTests[operator];
  if (typeTest) return typeTest(found, value) === expected;
  if (!found) throw runtimeError(`Invalid path '${rule.Variable}': the Choice rule's Variable references no value`);
  const byPath = operator.endsWith('Path');
  const compare = comparisons[byPath ? operator.slice(0, -4) : operator];
  if (!compare) throw runtimeError(`Choice operator ${operator} is not supported`);
  const other = byPath ? readPath(expected as string, input, context, `Choice operator ${operator}`) : expected;
  return compare(value, other);
}
