/**
 * Intrinsic functions in `.$` fields (`States.Format('{}', $.a)` …). The common ones are here;
 * an unknown one fails with States.IntrinsicFailure naming it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from './asl.ts';
import { readPath } from './json-path.ts';
import { StatesError, runtimeError } from './states-error.ts';

type Arg =
  | { kind: 'literal'; value: Json; raw?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Arg[] };

function failure(cause: string): StatesError {
  return new StatesError('States.IntrinsicFailure', cause);
}

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(expression: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(expression.trim());
}

/** Evaluates an intrinsic call expression against the input and context object. */
export function evaluateIntrinsic(expression: string, input: Json, context: Json): Json {
  const parser = new Parser(expression.trim());
  const call = parser.arg();
  if (call.kind !== 'call' || !parser.done()) throw failure(`Cannot parse intrinsic '${expression}'`);
  return evaluate(call, input, context, expression);
}

class Parser {
  #text: string;
  #i = 0;
  constructor(text: string) {
    this.#text = text;
  }
  done(): boolean {
    this.#skip();
    return this.#i === this.#text.length;
  }
  #skip(): void {
    while (this.#text[this.#i] === ' ') this.#i++;
  }
  #fail(): never {
    throw failure(`Cannot parse intrinsic '${this.#text}' near position ${this.#i}`);
  }
  arg(): Arg {
    this.#skip();
    const rest = this.#text.slice(this.#i);
    if (rest.startsWith("'")) return this.#string();
    if (rest.startsWith('$')) return { kind: 'path', path: this.#path() };
    const call = /^(States\.[A-Za-z0-9]+)\(/.exec(rest);
    if (call) {
      this.#i += call[0].length;
      const args: Arg[] = [];
      this.#skip();
      if (this.#text[this.#i] === ')') this.#i++;
      else {
        for (;;) {
          args.push(this.arg());
          this.#skip();
          const c = this.#text[this.#i++];
          if (c === ')') break;
          if (c !== ',') this.#fail();
        }
      }
      return { kind: 'call', name: call[1]!, args };
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) this.#fail();
    this.#i += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as Json };
  }
  #string(): Arg {
    let raw = '';
    for (this.#i++; this.#i < this.#text.length; this.#i++) {
      const c = this.#text[this.#i]!;
      if (c === '\\') raw += c + (this.#text[++this.#i] ?? '');
      else if (c === "'") {
        this.#i++;
        return { kind: 'literal', value: raw.replace(/\\(.)/g, '$1'), raw };
      } else raw += c;
    }
    return this.#fail();
  }
  #path(): string {
    const start = this.#i;
    let depth = 0;
    let quote = false;
    for (; this.#i < this.#text.length; this.#i++) {
      const c = this.#text[this.#i];
      if (quote) quote = c !== "'";
      else if (c === "'") quote = true;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && (c === ',' || c === ')' || c === ' ')) break;
    }
    return this.#text.slice(start, this.#i);
  }
}

function evaluate(arg: Arg, input: Json, context: Json, expression: string): Json {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'path') return readPath(arg.path, input, context, `intrinsic '${expression}'`);
  const values = arg.args.map((a) => evaluate(a, input, context, expression));
  const fn = functions[arg.name];
  if (!fn) throw failure(`Intrinsic function ${arg.name} is not supported by the local engine`);
  try {
    return fn(values, arg.args);
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw failure(`${arg.name} failed in '${expression}': ${(error as Error).message}`);
  }
}

function array(value: Json | undefined, fn: string): Json[] {
  if (!Array.isArray(value)) throw failure(`${fn} expects an array`);
  return value;
}
function num(value: Json | undefined, fn: string): number {
  if (typeof value !== 'number') throw failure(`${fn} expects a number`);
  return value;
}
function str(value: Json | undefined, fn: string): string {
  if (typeof value !== 'string') throw failure(`${fn} expects a string`);
  return value;
}

/** Java's Math.round: half-up towards +∞ (-1.5 → -1), never -0. */
function roundHalfUp(n: number): number {
  return zeroSign(Math.round(n));
}

function zeroSign<T extends Json>(value: T): T {
  return (Object.is(value, -0) ? 0 : value) as T;
}

/** How States.Format writes a value: strings bare, objects and arrays Java-style (`{a=1, b=[x, 2]}`). */
function formatValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

const hashes: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const functions: Record<string, (values: Json[], args: Arg[]) => Json> = {
  'States.Format': (values, args) => {
    const template = args[0]?.kind === 'literal' && args[0].raw !== undefined ? args[0].raw : str(values[0], 'States.Format');
    let next = 1;
    return template.replace(/\\(.)|\{\}/g, (_match, escaped: string | undefined) => {
      if (escaped !== undefined) return escaped;
      if (next >= values.length) throw failure('States.Format has more {} than arguments');
      return formatValue(values[next++]!);
    });
  },
  // AWS gives null for a blank string rather than failing.
  'States.StringToJson': ([s]) => {
    const text = str(s, 'States.StringToJson');
    return text.trim() === '' ? null : zeroSign(JSON.parse(text) as Json);
  },
  'States.JsonToString': ([v]) => JSON.stringify(v ?? null),
  'States.Array': (values) => values,
  'States.ArrayGetItem': ([a, i]) => {
    const item = array(a, 'States.ArrayGetItem')[num(i, 'States.ArrayGetItem')];
    if (item === undefined) throw failure('States.ArrayGetItem index out of range');
    return item;
  },
  'States.ArrayLength': ([a]) => array(a, 'States.ArrayLength').length,
  'States.ArrayContains': ([a, v]) =>
    array(a, 'States.ArrayContains').some((x) => JSON.stringify(x) === JSON.stringify(v)),
  'States.ArrayUnique': ([a]) => {
    const seen = new Set<string>();
    return array(a, 'States.ArrayUnique').filter((x) => !seen.has(JSON.stringify(x)) && !!seen.add(JSON.stringify(x)));
  },
  'States.ArrayPartition': ([a, n]) => {
    const items = array(a, 'States.ArrayPartition');
    const size = roundHalfUp(num(n, 'States.ArrayPartition'));
    // The validator cannot see a chunk size read from a path; a size below 1 would never advance.
    if (size < 1) {
      throw runtimeError(`States.ArrayPartition needs a non-zero, positive integer as chunk size, got ${JSON.stringify(n)}`);
    }
    const chunks: Json[] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  },
  'States.ArrayRange': ([a, b, s]) => {
    const [first, last, step] = [num(a, 'States.ArrayRange'), num(b, 'States.ArrayRange'), num(s, 'States.ArrayRange')];
    if (step === 0) throw failure('States.ArrayRange step must not be 0');
    const out: Json[] = [];
    for (let x = first; step > 0 ? x <= last : x >= last; x += step) out.push(x);
    return out;
  },
  // AWS rounds each operand half-up (Java Math.round) before adding: MathAdd(1.5, -1.49) is 1.
  'States.MathAdd': ([a, b]) => roundHalfUp(num(a, 'States.MathAdd')) + roundHalfUp(num(b, 'States.MathAdd')),
  // Every character of the separator splits on its own, literally; empty parts are dropped.
  'States.StringSplit': ([s, sep]) => {
    const separators = new Set(str(sep, 'States.StringSplit'));
    const parts: Json[] = [];
    let part = '';
    for (const c of str(s, 'States.StringSplit')) {
      if (!separators.has(c)) part += c;
      else if (part !== '') {
        parts.push(part);
        part = '';
      }
    }
    if (part !== '') parts.push(part);
    return parts;
  },
  'States.UUID': () => randomUUID(),
  'States.Base64Encode': ([s]) => Buffer.from(str(s, 'States.Base64Encode')).toString('base64'),
  'States.Base64Decode': ([s]) => Buffer.from(str(s, 'States.Base64Decode'), 'base64').toString('utf8'),
  'States.Hash': ([data, algorithm]) => {
    const algo = hashes[str(algorithm, 'States.Hash')];
    if (!algo) throw failure(`States.Hash does not know algorithm ${String(algorithm)}`);
    return createHash(algo).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
  },
  'States.JsonMerge': ([a, b]) => ({ ...(a as JsonObject), ...(b as JsonObject) }),
};
