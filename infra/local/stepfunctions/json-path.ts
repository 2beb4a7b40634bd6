/**
 * The JSONPath subset Step Functions definitions use: `$`/`$$` roots, `.name`, `['name']`, `[n]`
 * (negative counts from the end), `[*]`, `.*`, `[a:b]`, `[a,b]`, `..name`. Filters (`[?(...)]`) are
 * refused with a clear error rather than half-supported.
 */
import type { Json, JsonObject } from './asl.ts';
import { StatesError, runtimeError } from './states-error.ts';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'union'; keys: Array<string | number> }
  | { kind: 'deep'; name: string | undefined };

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
  for (let i = from; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return i;
  }
  return -1;
}

function parseBracket(body: string, bad: (why: string) => never): Segment {
  if (body === '*') return { kind: 'wildcard' };
  if (body.startsWith('?')) bad('filter expressions are not supported by the local engine');
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

function step(node: Json, segment: Segment): Json[] {
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
export function queryPath(path: string, input: Json, context: Json): { found: boolean; value: Json } {
  const parsed = parsePath(path);
  let nodes: Json[] = [parsed.context ? context : input];
  for (const segment of parsed.segments) nodes = nodes.flatMap((node) => step(node, segment));
  if (!parsed.definite) return { found: true, value: nodes };
  return nodes.length === 1 ? { found: true, value: nodes[0]! } : { found: false, value: null };
}

/** Like queryPath, but a path that selects nothing is a States.Runtime error naming `where`. */
export function readPath(path: string, input: Json, context: Json, where: string): Json {
  const { found, value } = queryPath(path, input, context);
  if (!found) throw runtimeError(`The JSONPath '${path}' specified for ${where} could not be found in the input`);
  return value;
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
