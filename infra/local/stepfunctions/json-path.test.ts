import { describe, expect, it } from 'vitest';
import type { Json } from './asl.ts';
import { applyTemplate } from './data-flow.ts';
import { queryPath, setPath } from './json-path.ts';

const doc: Json = { a: { 'b-c': [1, 2, 3], 'x y': 'sp' }, list: [{ id: 'p1', v: 1 }, { id: 'p2', v: 2 }] };

describe('JSONPath', () => {
  it('reads definite paths, bracket names and negative indexes', () => {
    expect(queryPath('$', doc, null).value).toEqual(doc);
    expect(queryPath('$.a.b-c[1]', doc, null).value).toBe(2);
    expect(queryPath("$.a['x y']", doc, null).value).toBe('sp');
    expect(queryPath('$.a.b-c[-1]', doc, null).value).toBe(3);
    expect(queryPath('$.missing', doc, null)).toEqual({ found: false, value: null });
    expect(queryPath('$$.Execution.Id', doc, { Execution: { Id: 'e' } }).value).toBe('e');
  });

  it('returns lists for wildcards, slices, unions and deep scans', () => {
    expect(queryPath('$.list[*].id', doc, null).value).toEqual(['p1', 'p2']);
    expect(queryPath('$.a.b-c[0:2]', doc, null).value).toEqual([1, 2]);
    expect(queryPath('$.list[0,1].v', doc, null).value).toEqual([1, 2]);
    expect(queryPath('$..id', doc, null).value).toEqual(['p1', 'p2']);
    expect(queryPath('$.nothing[*]', doc, null).value).toEqual([]);
  });

  it('runs Jayway-style filters: comparisons, regex, in, &&/||/!, presence, nested brackets, $ inside', () => {
    expect(queryPath('$.list[?(@.v > 1)].id', doc, null).value).toEqual(['p2']);
    expect(queryPath("$.list[?(@.id == 'p1' || @.v >= 2)].id", doc, null).value).toEqual(['p1', 'p2']);
    expect(queryPath("$.list[?(@.id =~ /P\\d/i && !(@.v == 2))].v", doc, null).value).toEqual([1]);
    expect(queryPath("$.list[?(@.id in ['p2', 'p9'])].v", doc, null).value).toEqual([2]);
    expect(queryPath("$.list[?(@.id nin ['p2'])].v", doc, null).value).toEqual([1]);
    expect(queryPath('$.list[?(@.missing)]', doc, null).value).toEqual([]);
    expect(queryPath("$.list[?(@.v == $.a['b-c'][0])].id", doc, null).value).toEqual(['p1']);
    expect(queryPath("$.list[?(@.id == 'a]b')]", doc, null).value).toEqual([]);
  });

  it('refuses a malformed filter clearly', () => {
    expect(() => queryPath('$.list[?(@.v >)]', doc, null)).toThrow(/cannot read filter/);
    expect(() => queryPath('$.list[?@.v]', doc, null)).toThrow(/a filter must read/);
  });

  it('sets a ResultPath without touching the original, and fails on a non-object on the way', () => {
    const input: Json = { a: { b: 1 } };
    expect(setPath(input, '$.a.c.d', 5)).toEqual({ a: { b: 1, c: { d: 5 } } });
    expect(input).toEqual({ a: { b: 1 } });
    expect(setPath(input, '$', 'all')).toBe('all');
    expect(() => setPath(input, '$.a.b.c', 1)).toThrow(expect.objectContaining({ name: 'States.ResultPathMatchFailure' }));
  });
});

describe('payload templates', () => {
  it('evaluates .$ paths and intrinsics, leaving other values literal', () => {
    const out = applyTemplate(
      {
        'id.$': '$.list[0].id',
        'msg.$': "States.Format('{} has {} parcels, \\{literal\\}', $.a['x y'], States.ArrayLength($.list))",
        'parsed.$': "States.StringToJson('{\"k\":1}')",
        nested: [{ 'v.$': '$.list[1].v' }, 'plain'],
        'ctx.$': '$$.State.Name',
      },
      { ...(doc as object), a: { 'x y': 'Zhang' } } as Json,
      { State: { Name: 'S' } },
    );
    expect(out).toEqual({
      id: 'p1',
      msg: 'Zhang has 2 parcels, {literal}',
      parsed: { k: 1 },
      nested: [{ v: 2 }, 'plain'],
      ctx: 'S',
    });
  });
});
