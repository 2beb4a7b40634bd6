import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildConsole, type ConsoleBuild } from './build.ts';

/** The build's shape, which the CSP, the caching rules and 我的待办's first paint rely on. */
const out = mkdtempSync(join(tmpdir(), 'console-build-'));
let built: ConsoleBuild;
let html: string;

beforeAll(async () => {
  built = await buildConsole({ outDir: join(out, 'dist') });
  html = readFileSync(join(built.outDir, 'index.html'), 'utf8');
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('names every file but index.html app-…-<hash>, the pattern cached for a year and kept across deployments', () => {
  const others = built.files.filter((f) => f !== 'index.html');
  expect(others.length).toBeGreaterThanOrEqual(3);
  for (const file of others) expect(file).toMatch(/^app-([a-z]+-)?[A-Z0-9]{8}\.(js|css)$/);
});

it('loads its script and styles from files only: no inline script or style for the CSP to forbid', () => {
  expect(html).toMatch(/<script type="module" src="app-[A-Z0-9]{8}\.js"><\/script>/);
  expect(html).toMatch(/<link rel="stylesheet" href="app-[A-Z0-9]{8}\.css">/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
});

it('leaves ECharts out of the first screen: a chunk the first chart imports, not preloaded', () => {
  const entry = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
  const chart = built.files.find((f) => f.startsWith('app-echarts-'));
  expect(chart).toBeDefined();
  const code = readFileSync(join(built.outDir, entry), 'utf8');
  expect(code).toContain(`import("./${chart}")`);
  expect(html).not.toContain(chart);
  // The chunks the entry imports statically are preloaded beside it.
  for (const [, chunk] of code.matchAll(/from"\.\/(app-[\w-]+\.js)"/g)) expect(html).toContain(`<link rel="modulepreload" href="${chunk}">`);
});
