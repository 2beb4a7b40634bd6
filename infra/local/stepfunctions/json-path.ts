/**
 * The JSONPath subset Step Functions definitions use: `$`/`$$` roots, `.name`, `['name']`, `[n]`
 * (negative counts from the end), `[*]`, `.*`, `[a:b]`, `[a,b]`, `..name`, and Jayway-style filters
 * `[?(<expr>)]` (AWS evaluates paths with Jayway JsonPath): `@`/`$` paths, literals, comparisons
 * (`== != < <= > >=`), `=~ /regex/flags`, `in`/`nin`, `!`, `&&`, `||`, parentheses; `[?(@.x)]` tests presence.
 */
import type { Json, JsonObject } from './asl.ts';
import { StatesError, runtimeError } from './states-error.ts';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'union'; keys: Array<string | number> }
  | { kind: 'deep'; name: string | undefined }
  | { kind: 'filter'; test: Filter };

/** A compiled filter: whether `node` (the `@`) passes, with `root` as `$`. */
type Filter = (node: Json, root: Json) => boolean;

interface ParsedPath {
  context: boolean;
  segments: Segment[];
  /** A definite path selects at most one value; others select a list (as Jayway JsonPath does). */
  definite: boolean;
}

const cache = new Map<string, ParsedPath>();

/** Parses a path, throwing States.Runtime naming the path if it is malformed or unsupported. */
export function parsePath(path: string): ParsedPath {
  const hit = cache.get(path);
  if (hit) return hit;
  const bad = (why: string): never => {
    throw runtimeError(`Invalid JSONPath '${path}': ${why}`);
  };
  if (!path.startsWith('$')) bad('must start with $');
  const context = path.startsWith('$$');
  const segments: Segment[] = [];
  let i = context ? 2 : 1;
  const readName = (): string => {
    const start = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[') i++;
    if (i === start) bad(`empty name at ${start}`);
    return path.slice(start, i);
  };
  while (i < path.length) {
    if (path.startsWith('..', i)) {
      i += 2;
      if (path[i] === '*') {
        i++;
        segments.push({ kind: 'deep', name: undefined });
      } else segments.push({ kind: 'deep', name: readName() });
    } else if (path[i] === '.') {
      i++;
      if (path[i] === '*') {
        i++;
        segments.push({ kind: 'wildcard' });
      } else segments.push({ kind: 'name', name: readName() });
    } else if (path[i] === '[') {
      const close = findClose(path, i + 1);
      if (close < 0) bad('unclosed [');
      segments.push(parseBracket(path.slice(i + 1, close).trim(), bad));
      i = close + 1;
    } else bad(`unexpected '${path[i]}' at ${i}`);
  }
  const definite = segments.every((s) => s.kind === 'name' || s.kind === 'index');
  const parsed = { context, segments, definite };
  cache.set(path, parsed);
  return parsed;
}

function findClose(path: string, from: number): number {
  let quote: string | undefined;
  let depth = 0; // filters may hold brackets: [?(@.tags[0] == 'x')]
  for (let i = from; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && depth-- === 0) return i;
  }
  return -1;
}

function parseBracket(body: string, bad: (why: string) => never): Segment {
  if (body === '*') return { kind: 'wildcard' };
  if (body.startsWith('?')) {
    const inner = /^\?\s*\((.*)\)$/s.exec(body);
    if (!inner) bad(`a filter must read [?(...)], got [${body}]`);
    return { kind: 'filter', test: compileFilter(inner![1]!, bad) };
  }
  const slice = /^(-?\d*):(-?\d*)$/.exec(body);
  if (slice) {
    const num = (s: string | undefined) => (s ? Number(s) : undefined);
    return { kind: 'slice', start: num(slice[1]), end: num(slice[2]) };
  }
  const keys = body.split(/,(?=(?:[^']*'[^']*')*[^']*$)/).map((part): string | number => {
    const p = part.trim();
    if (/^-?\d+$/.test(p)) return Number(p);
    const quoted = /^'((?:[^'\\]|\\.)*)'$|^"((?:[^"\\]|\\.)*)"$/.exec(p);
    if (!quoted) bad(`cannot read [${body}]`);
    return (quoted![1] ?? quoted![2] ?? '').replace(/\\(.)/g, '$1');
  });
  if (keys.length > 1) return { kind: 'union', keys };
  const key = keys[0]!;
  return typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'name', name: key };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function children(node: Json): Json[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function at(node: Json, key: string | number): Json[] {
  if (typeof key === 'number') {
    if (!Array.isArray(node)) return [];
    const value = node[key < 0 ? node.length + key : key];
    return value === undefined ? [] : [value];
  }
  return isObject(node) && Object.hasOwn(node, key) ? [node[key]!] : [];
}

function step(node: Json, segment: Segment, root: Json): Json[] {
  switch (segment.kind) {
    case 'name':
      return at(node, segment.name);
    case 'index':
      return at(node, segment.index);
    case 'wildcard':
      return children(node);
    case 'union':
      return segment.keys.flatMap((key) => at(node, key));
    case 'slice':
      return Array.isArray(node) ? node.slice(segment.start, segment.end) : [];
    case 'filter':
      // Jayway filters an array's elements, and tests an object itself.
      return (Array.isArray(node) ? node : isObject(node) ? [node] : []).filter((n) => segment.test(n, root));
    case 'deep': {
      const found: Json[] = [];
      const visit = (n: Json): void => {
        if (segment.name === undefined) found.push(...children(n));
        else found.push(...at(n, segment.name));
        children(n).forEach(visit);
      };
      visit(node);
      return found;
    }
  }
}

/** Evaluates a path against the state input (`$`) or the context object (`$$`). */
/** `root` is what `$` means inside filters (the state input, also when `path` is on `$$`). */
export function queryPath(path: string, input: Json, context: Json, root: Json = input): { found: boolean; value: Json } {
  const parsed = parsePath(path);
  let nodes: Json[] = [parsed.context ? context : input];
  for (const segment of parsed.segments) nodes = nodes.flatMap((node) => step(node, segment, root));
  if (!parsed.definite) return { found: true, value: nodes };
  return nodes.length === 1 ? { found: true, value: nodes[0]! } : { found: false, value: null };
}

/** Like queryPath, but a path that selects nothing is a States.Runtime error naming `where`. */
export function readPath(path: string, input: Json, context: Json, where: string): Json {
  const { found, value } = queryPath(path, input, context);
  if (!found) {
    throw runtimeError(`The JSONPath '${path}' specified for ${where} could not be found in the input '${JSON.stringify(input)}'`);
  }
  return value;
}

/**
 * Like readPath, with the cause AWS gives for InputPath, OutputPath and the *SecondsPath fields:
 * `Invalid path '$.a' : No results for path: $['a']` (Jayway's normalized path).
 */
export function selectPath(path: string, input: Json, context: Json): Json {
  const { found, value } = queryPath(path, input, context);
  if (found) return value;
  const { segments, context: onContext } = parsePath(path);
  const normal = segments.every((s) => s.kind === 'name' || s.kind === 'index')
    ? `${onContext ? '$$' : '$'}${segments.map((s) => (s.kind === 'name' ? `['${s.name}']` : `[${(s as { index: number }).index}]`)).join('')}`
    : path;
  throw runtimeError(`Invalid path '${path}' : No results for path: ${normal}`);
}

/** Returns a copy of `target` with `value` placed at the reference path (ResultPath semantics). */
export function setPath(target: Json, path: string, value: Json): Json {
  const parsed = parsePath(path);
  if (parsed.context || !parsed.definite) throw runtimeError(`ResultPath '${path}' must be a reference path on $`);
  const fail = (): never => {
    throw new StatesError(
      'States.ResultPathMatchFailure',
      `Unable to apply ResultPath '${path}' to input ${JSON.stringify(target)}`,
    );
  };
  const place = (node: Json | undefined, depth: number): Json => {
    const segment = parsed.segments[depth];
    if (!segment) return value;
    if (segment.kind === 'name') {
      if (node !== undefined && !isObject(node)) fail();
      const obj: JsonObject = { ...(node as JsonObject | undefined) };
      obj[segment.name] = place(obj[segment.name], depth + 1);
      return obj;
    }
    if (segment.kind !== 'index' || !Array.isArray(node)) return fail();
    const index = segment.index < 0 ? node.length + segment.index : segment.index;
    if (index < 0 || index >= node.length) fail();
    const copy = [...node];
    copy[index] = place(copy[index], depth + 1);
    return copy;
  };
  return place(target, 0);
}

type Operand = { kind: 'path'; path: string; rooted: boolean } | { kind: 'value'; value: Json } | { kind: 'regex'; regex: RegExp };

/** Compiles the inside of `[?(...)]`. */
function compileFilter(source: string, bad: (why: string) => never): Filter {
  let i = 0;
  const skip = () => {
    while (/\s/.test(source[i] ?? '')) i++;
  };
  const eat = (token: string): boolean => {
    skip();
    if (!source.startsWith(token, i)) return false;
    i += token.length;
    return true;
  };
  const fail = (): never => bad(`cannot read filter '${source}' at ${i}`);

  const operand = (): Operand => {
    skip();
    const c = source[i];
    if (c === '@' || c === '$') {
      const start = i;
      let depth = 0;
      let quote: string | undefined;
      for (; i < source.length; i++) {
        const ch = source[i]!;
        if (quote) quote = ch === quote ? undefined : quote;
        else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[') depth++;
        else if (ch === ']') depth--;
        else if (depth === 0 && /[\s=!<>&|)]/.test(ch)) break;
      }
      return { kind: 'path', path: `$${source.slice(start + 1, i)}`, rooted: c === '$' };
    }
    if (c === "'" || c === '"') {
      let text = '';
      for (i++; i < source.length && source[i] !== c; i++) text += source[i] === '\\' ? source[++i] : source[i];
      if (source[i++] !== c) fail();
      return { kind: 'value', value: text };
    }
    if (c === '/') {
      const end = source.lastIndexOf('/');
      if (end <= i) fail();
      const flags = /^[a-z]*/.exec(source.slice(end + 1))![0];
      const regex = new RegExp(source.slice(i + 1, end), flags);
      i = end + 1 + flags.length;
      return { kind: 'regex', regex };
    }
    if (c === '[') {
      const values: Json[] = [];
      i++;
      if (!eat(']')) {
        do {
          const item = operand();
          if (item.kind !== 'value') fail();
          values.push((item as { value: Json }).value);
        } while (eat(','));
        if (!eat(']')) fail();
      }
      return { kind: 'value', value: values };
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(source.slice(i));
    if (!literal) return fail();
    i += literal[0].length;
    return { kind: 'value', value: JSON.parse(literal[0]) as Json };
  };

  const comparison = (): Filter => {
    const left = operand();
    skip();
    const op = /^(==|!=|<=|>=|<|>|=~|in\b|nin\b)/.exec(source.slice(i))?.[0];
    if (!op) {
      if (left.kind !== 'path') fail();
      return (node, root) => resolve(left, node, root).found;
    }
    i += op.length;
    const right = operand();
    return (node, root) => compare(op, resolve(left, node, root), resolve(right, node, root));
  };

  const unary = (): Filter => {
    if (eat('!')) {
      const inner = unary();
      return (node, root) => !inner(node, root);
    }
    if (eat('(')) {
      const inner = or();
      if (!eat(')')) fail();
      return inner;
    }
    return comparison();
  };
  const and = (): Filter => {
    let left = unary();
    while (eat('&&')) {
      const [a, b] = [left, unary()];
      left = (node, root) => a(node, root) && b(node, root);
    }
    return left;
  };
  const or = (): Filter => {
    let left = and();
    while (eat('||')) {
      const [a, b] = [left, and()];
      left = (node, root) => a(node, root) || b(node, root);
    }
    return left;
  };
  const filter = or();
  skip();
  if (i !== source.length) fail();
  return filter;
}

type Resolved = { found: boolean; value: Json } | { found: true; regex: RegExp };

function resolve(operand: Operand, node: Json, root: Json): Resolved {
  if (operand.kind === 'value') return { found: true, value: operand.value };
  if (operand.kind === 'regex') return { found: true, regex: operand.regex };
  return queryPath(operand.path, operand.rooted ? root : node, null, root);
}

function compare(op: string, left: Resolved, right: Resolved): boolean {
  if (!left.found || !right.found || 'regex' in left) return false;
  const a = left.value;
  if ('regex' in right) return op === '=~' && typeof a === 'string' && right.regex.test(a);
  const b = right.value;
  const same = JSON.stringify(a) === JSON.stringify(b);
  switch (op) {
    case '==':
      return same;
    case '!=':
      return !same;
    case 'in':
      return Array.isArray(b) && b.some((x) => JSON.stringify(x) === JSON.stringify(a));
    case 'nin':
      return Array.isArray(b) && !b.some((x) => JSON.stringify(x) === JSON.stringify(a));
  }
  const ordered = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!ordered) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
  return false;
}
