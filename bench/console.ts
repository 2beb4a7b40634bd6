/**
 * The console in `npm run bench`: its JS and CSS gzipped against the libraries' floor (a bundle of
 * only the Preact and ECharts parts it uses, built the same way), and the time until a signed-in
 * clerk's "我的待办" has drawn its data in headless Chromium against a blank page served by the
 * same cloud in the same browser (each a median over fresh browser contexts: a cold cache).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildConsole, CONSOLE_DIR } from '../console/build.ts';
import type { LocalCloud } from '../infra/local/cloud.ts';
import { launchChromium } from '../test/support/browser.ts';
import type { BenchResult } from './calendar.ts';

const gzipBytes = (path: string) => gzipSync(readFileSync(path)).length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** The floor: a bundle of just the library parts `imports` names, built as the console is. */
async function floorBytes(name: string, source: string): Promise<number> {
  const entry = join(CONSOLE_DIR, 'src', `.bench-floor-${name}.ts`);
  writeFileSync(entry, source);
  try {
    const floor = await build({ entryPoints: [entry], bundle: true, format: 'esm', minify: true, write: false, target: ['chrome120', 'firefox120', 'safari16'], legalComments: 'none', define: { 'process.env.NODE_ENV': '"production"' } });
    return gzipSync(floor.outputFiles[0]!.contents).length;
  } finally {
    rmSync(entry, { force: true });
  }
}

const PREACT_FLOOR = `import { render, h } from 'preact';
import { useState, useEffect } from 'preact/hooks';
function A() { const [s, set] = useState(0); useEffect(() => set(1), []); return h('p', null, s); }
render(h(A, null), document.body);
`;
const ECHARTS_FLOOR = `import { BarChart, CustomChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
use([BarChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);
init(document.body).setOption({});
`;

/**
 * Sizes need no cloud: the production build against the floor of its libraries. What a clerk's
 * first screen loads (the entry and the chunks it imports statically: Preact and every screen)
 * against Preact alone; everything, with the ECharts chunk a chart fetches, against Preact and
 * the ECharts parts used.
 */
export async function sizes(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'bench-console-'));
  const { outDir, files } = await buildConsole({ outDir: join(out, 'console') });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  const initialJs = initial.reduce((sum, file) => sum + gzipBytes(join(outDir, file)), 0);
  const allJs = files.filter((f) => f.endsWith('.js')).reduce((sum, file) => sum + gzipBytes(join(outDir, file)), 0);
  const css = gzipBytes(join(outDir, files.find((f) => f.endsWith('.css'))!));
  const preact = await floorBytes('preact', PREACT_FLOOR);
  const both = await floorBytes('both', `${PREACT_FLOOR}${ECHARTS_FLOOR}`);
  rmSync(out, { recursive: true, force: true });
  return [
    { bench: 'console', metric: 'JS gzip loaded by the first screen (baseline: Preact alone)', value: initialJs, unit: 'bytes', baseline: preact, ratio: round(initialJs / preact) },
    { bench: 'console', metric: 'JS gzip, all, with the ECharts chunk (baseline: Preact + the ECharts parts used)', value: allJs, unit: 'bytes', baseline: both, ratio: round(allJs / both) },
    { bench: 'console', metric: 'CSS gzip', value: css, unit: 'bytes' },
  ];
}

/**
 * Time to the inbox with its data, in a fresh context each run (nothing cached), against loading
 * a blank page from the same server. The console marks `console:work-ready` when 我的待办 has
 * rendered what the API answered.
 */
export async function firstPaint(cloud: LocalCloud, runs = 15): Promise<BenchResult[]> {
  const token = await cloud.token('land-bureau', 'yongzhou/lengshuitan');
  const session = JSON.stringify({ accessToken: token, expiresAt: Date.now() + 3_600_000 });
  const browser = await launchChromium();
  const blank: number[] = [];
  const inbox: number[] = [];
  const contentful: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      // The blank page: same server, same browser, nothing to run.
      await page.goto(`${cloud.apiUrl}/health`);
      blank.push(await page.evaluate(() => (performance.getEntriesByType('navigation' as never)[0] as unknown as { loadEventEnd: number }).loadEventEnd));
      // A signed-in clerk (the session the console keeps after its OIDC sign-in) opens the console.
      await page.addInitScript((value) => sessionStorage.setItem('console.session', value), session);
      await page.goto(`${cloud.apiUrl}/console/#/`);
      await page.waitForFunction(() => performance.getEntriesByName('console:work-ready').length > 0, undefined, { timeout: 30_000 });
      inbox.push(await page.evaluate(() => performance.getEntriesByName('console:work-ready')[0]!.startTime));
      // What is timed is a list with a deadline in it, not an empty table.
      if (i === 0 && (await page.getByRole('row').filter({ hasText: '发布征地补偿安置实施方案' }).count()) === 0) throw new Error('bench: 我的待办 drew no deadline; publish a notice first');
      contentful.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const baseline = median(blank);
  return [
    { bench: 'console', metric: `blank page load, p50 of ${runs} (baseline)`, value: round(baseline), unit: 'ms', baseline: round(baseline), ratio: 1 },
    { bench: 'console', metric: `first contentful paint of the console, p50 of ${runs}`, value: round(median(contentful)), unit: 'ms', baseline: round(baseline), ratio: round(median(contentful) / baseline) },
    { bench: 'console', metric: `我的待办 drawn with its data (first meaningful paint), p50 of ${runs}, cold cache`, value: round(median(inbox)), unit: 'ms', baseline: round(baseline), ratio: round(median(inbox) / baseline) },
  ];
}

/** One project with its notice published (what `npm run bench`'s end-to-end cases leave behind). */
async function publishNotice(cloud: LocalCloud): Promise<void> {
  const call = async (agency: string, jurisdiction: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await cloud.token(agency as never, jurisdiction)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return text ? (JSON.parse(text) as { id: string }) : undefined;
  };
  const district = 'yongzhou/lengshuitan';
  const project = (await call('district-government', district, 'POST', '/projects', { name: '基准项目', district, villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] }))!;
  await call('land-bureau', district, 'PUT', `/projects/${project.id}/notice`, { title: '征收土地通告', body: '正文', registrationPeriod: '30d', registrationPlace: '街道' });
  await call('legal-affairs-office', 'yongzhou', 'POST', `/projects/${project.id}/notice/review`, { decision: 'approve' });
  await call('land-bureau', district, 'POST', `/projects/${project.id}/notice/publish`);
}

// `npx node bench/console.ts`: this part alone, on a local cloud of its own.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startLocalCloud } = await import('../infra/local/cloud.ts');
  const { ensureDynamoDbLocal } = await import('../infra/local/servers/dynamodb-local.ts');
  const { CDK_OUT, synthIfStale } = await import('../infra/local/synth.ts');
  const results = await sizes();
  // A published notice: the land bureau's 我的待办 then holds its 45-day plan clock to draw.
  await buildConsole();
  synthIfStale();
  await ensureDynamoDbLocal();
  process.env.LOG_LEVEL = 'silent';
  const cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'bench-console-cloud-')), cdkOut: CDK_OUT, fresh: true, clockStart: new Date('2026-09-01T09:00:00+08:00'), log: () => undefined });
  try {
    await publishNotice(cloud);
    results.push(...(await firstPaint(cloud)));
  } finally {
    await cloud.stop();
  }
  console.log('| bench | metric | value | unit | baseline | ratio |\n|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.bench} | ${r.metric} | ${r.value} | ${r.unit} | ${r.baseline ?? ''} | ${r.ratio ?? ''} |`);
}
