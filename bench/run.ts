/**
 * `npm run bench`: bundle size and cold import time of every function, handler latency, API
 * latency and end-to-end cases per second on the local cloud, the legal calendar and the survey
 * workbook import — each as a ratio against a baseline measured in the same run (never asserted by a test).
 * `npm run bench -- maintenance --deadlines N --correction C`: bench/maintenance.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { ensureDynamoDbLocal } from '../infra/local/servers/dynamodb-local.ts';
import { CDK_OUT, synthIfStale } from '../infra/local/synth.ts';
import { readBlueprint } from '../infra/local/template.ts';
import { run as bundleBench } from './bundles.ts';
import { run as calendarBench, type BenchResult } from './calendar.ts';
import { run as importBench } from './import.ts';

if (process.argv[2] === 'maintenance') {
  // `npm run bench -- maintenance …`: decision 0013's jobs at scale; bench/maintenance.ts exits when done.
  await import('./maintenance.ts');
}

const results: BenchResult[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const record = (bench: string, metric: string, value: number, unit: string, baseline: number) =>
  results.push({ bench, metric, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline) });

synthIfStale();
const blueprint = readBlueprint(CDK_OUT);

// ---- 1. bundles: size and cold import, each against its SDK-only floor (bench/bundles.ts) ----
results.push(...(await bundleBench(blueprint)));

// ---- 2. the local cloud: handler and API latency, end-to-end cases per second ----
await ensureDynamoDbLocal();
const cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'bench-cloud-')), cdkOut: CDK_OUT, fresh: true, clockStart: new Date('2026-09-01T09:00:00+08:00'), log: () => undefined });
process.env.LOG_LEVEL = 'silent';
try {
  const tokens = {
    district: await cloud.token('district-government', 'yongzhou/lengshuitan'),
    land: await cloud.token('land-bureau', 'yongzhou/lengshuitan'),
    legal: await cloud.token('legal-affairs-office', 'yongzhou'),
    township: await cloud.token('township', 'yongzhou/lengshuitan/meiwan'),
  };
  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const timed = async (n: number, fn: (i: number) => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn(i);
      times.push(performance.now() - t);
    }
    return times;
  };

  const oneCase = async (i: number) => {
    const project = await call(tokens.district, 'POST', '/projects', { name: `基准项目 ${i}`, district: 'yongzhou/lengshuitan', villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] });
    await call(tokens.land, 'PUT', `/projects/${project.id}/notice`, { title: '征收土地通告', body: '正文', registrationPeriod: '30d', registrationPlace: '街道' });
    await call(tokens.legal, 'POST', `/projects/${project.id}/notice/review`, { decision: 'approve' });
    await call(tokens.land, 'POST', `/projects/${project.id}/notice/publish`);
    await call(tokens.township, 'POST', `/projects/${project.id}/registrations`, { villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: true });
    await call(tokens.land, 'PUT', `/projects/${project.id}/plan`, { title: '方案', body: '正文', standard: { landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }], resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }], cropRates: [], attachmentRates: [], houseRates: [], socialSecurity: { fenPerPerson: 2_500_000 }, resettlementOptions: [{ id: 'money', description: '货币补偿', kind: 'cash' }] } });
    await call(tokens.legal, 'POST', `/projects/${project.id}/plan/review`, { decision: 'approve' });
    await call(tokens.land, 'POST', `/projects/${project.id}/plan/publish`);
    return project.id as string;
  };

  const warm = await oneCase(-1);
  const health = await timed(200, () => call(undefined, 'GET', '/health'));
  const baseline = median(health);
  const timeline = await timed(200, () => call(tokens.land, 'GET', `/projects/${warm}/timeline`));
  const deadline = await timed(200, () => call(tokens.land, 'GET', `/calendar/deadline?period=45d&from=${encodeURIComponent('2026-09-01T10:00:00+08:00')}`));
  record('api', 'GET /health p50 (baseline: no auth, no I/O)', baseline, 'ms', baseline);
  record('api', 'GET /projects/{id}/timeline p50', median(timeline), 'ms', baseline);
  record('api', 'GET /projects/{id}/timeline p95', percentile(timeline, 0.95), 'ms', percentile(health, 0.95));
  record('api', 'GET /calendar/deadline p50', median(deadline), 'ms', baseline);

  // In-process handler latency, without HTTP: the deadline worker judging a watch.
  const worker = await timed(100, () => cloud.invoke('DeadlinesWorker', { action: 'reconcile' }));
  record('handler', 'DeadlinesWorker reconcile (in process) p50', median(worker), 'ms', baseline);

  const cases = 20;
  const started = performance.now();
  for (let i = 0; i < cases; i++) await oneCase(i);
  const seconds = (performance.now() - started) / 1000;
  const perCase = (seconds * 1000) / cases;
  results.push({ bench: 'e2e', metric: `cases per second (${cases} sequential, 8 API calls each)`, value: round(cases / seconds), unit: 'cases/s', baseline: round(1000 / baseline), ratio: round(perCase / baseline) });
} finally {
  await cloud.stop();
}

// ---- 3. the legal calendar ----
results.push(...(await calendarBench()));

// ---- 4. the survey workbook import: parse throughput against exceljs reading alone (bench/import.ts) ----
results.push(...(await importBench()));

console.log('\n| bench | metric | value | unit | baseline | ratio |\n|---|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.bench} | ${r.metric} | ${r.value} | ${r.unit} | ${r.baseline ?? ''} | ${r.ratio ?? ''} |`);
console.log('\nRatios: value ÷ baseline from this run (bundles: the SDK-only floor of the clients each function uses, bundled the same way; API: GET /health; e2e: ms per case ÷ ms per health request; import: exceljs streaming the same workbook without validation).');
process.exit(0);
