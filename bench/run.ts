/**
 * `npm run bench`: bundle size and cold import time of every function, handler latency, API
 * latency, end-to-end cases per second and one household through the API on the local cloud, the
 * legal calendar, a household's compensation, the survey workbook import and the console (size, first paint) — each as a ratio
 * against a baseline measured in the same run (never asserted by a test).
 * `npm run bench -- maintenance --deadlines N --correction C`: bench/maintenance.ts.
 * `npm run bench -- households --count N [--until signing|payment|handover]`: bench/households.ts.
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
import { run as compensationBench } from './compensation.ts';
import { firstPaint as consoleFirstPaint, sizes as consoleSizes } from './console.ts';
import { buildConsole } from '../console/build.ts';
import { run as importBench } from './import.ts';

if (process.argv[2] === 'maintenance') {
  // `npm run bench -- maintenance …`: decision 0013's jobs at scale; bench/maintenance.ts exits when done.
  await import('./maintenance.ts');
}
if (process.argv[2] === 'households') {
  // `npm run bench -- households …`: N households through the API with a cost model; bench/households.ts exits when done.
  await import('./households.ts');
}

const results: BenchResult[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const record = (bench: string, metric: string, value: number, unit: string, baseline: number) =>
  results.push({ bench, metric, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline) });

/** The standard of the e2e cases: what publishing a plan needs, nothing more. */
const MINIMAL_STANDARD = { landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }], resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }], cropRates: [], attachmentRates: [], houseRates: [], socialSecurity: { fenPerPerson: 2_500_000 }, resettlementOptions: [{ id: 'money', description: '货币补偿', kind: 'cash' }] };
/** A standard that prices every item of {@link SURVEY}. */
const FULL_STANDARD = {
  landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }, { landClass: '旱地', fenPerMu: 3_600_000 }],
  resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }, { landClass: '旱地', fenPerMu: 2_400_000 }],
  cropRates: [{ crop: '水稻', fenPerMu: 150_000 }, { crop: '蔬菜', fenPerMu: 120_000 }],
  attachmentRates: [{ item: '水井', unit: '口', fenPerUnit: 80_000 }, { item: '围墙', unit: '米', fenPerUnit: 4_533 }],
  houseRates: [{ structure: '砖混', fenPerSquareMetre: 98_000 }, { structure: '砖木', fenPerSquareMetre: 76_001 }],
  socialSecurity: { fenPerPerson: 2_500_000 },
  resettlementOptions: [{ id: 'money', description: '货币补偿', kind: 'cash' }],
};
/** 15 items, as bench/compensation.ts's household (quantities are decimal strings). */
const SURVEY = {
  parcels: [
    { itemId: 'p1', parcelNumber: '12-3', landClass: '水田', areaMu: '1.2345' },
    { itemId: 'p2', parcelNumber: '12-4', landClass: '旱地', areaMu: '0.3333' },
    { itemId: 'p3', parcelNumber: '12-5', landClass: '水田', areaMu: '0.8765' },
  ],
  crops: [
    { itemId: 'c1', crop: '水稻', areaMu: '1.2345' },
    { itemId: 'c2', crop: '蔬菜', areaMu: '0.5', cameIntoBeingOn: '2026-09-01' },
    { itemId: 'c3', crop: '蔬菜', areaMu: '0.25' },
    { itemId: 'c4', crop: '水稻', areaMu: '0.8765' },
  ],
  attachments: [
    { itemId: 'a1', item: '水井', unit: '口', quantity: '1' },
    { itemId: 'a2', item: '围墙', unit: '米', quantity: '12.35' },
    { itemId: 'a3', item: '围墙', unit: '米', quantity: '8.4' },
    { itemId: 'a4', item: '水井', unit: '口', quantity: '1' },
  ],
  houses: [
    { itemId: 'h1', structure: '砖混', floorAreaSquareMetres: '123.45', storeys: 2 },
    { itemId: 'h2', structure: '砖木', floorAreaSquareMetres: '20.5', storeys: 1 },
    { itemId: 'h3', structure: '砖混', floorAreaSquareMetres: '30', storeys: 1 },
    { itemId: 'h4', structure: '砖木', floorAreaSquareMetres: '15.75', storeys: 1 },
  ],
};
/** A parcel gives two lines (land compensation, resettlement subsidy); every other item one. */
const SURVEY_LINES = 2 * SURVEY.parcels.length + SURVEY.crops.length + SURVEY.attachments.length + SURVEY.houses.length;
/** A made-up resident ID number (GB 11643) with its check character, unique per (household, member). */
function idNumber(birth: string, serial: number): string {
  const first17 = `431103${birth.replaceAll('-', '')}${String(serial % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}
const householdBody = (i: number) => {
  const members = [
    { name: '张三', relation: '户主', dateOfBirth: '1968-03-02' },
    { name: '李四', relation: '配偶', dateOfBirth: '1970-07-15' },
    { name: '张小兵', relation: '子女', dateOfBirth: '1998-11-20' },
    { name: '张小梅', relation: '子女', dateOfBirth: '2001-05-09' },
  ];
  // Serials past 1000 would repeat a person: the bench enters at most a few dozen households.
  return { villageGroupId: 'g1', householdNumber: `B${i + 1}`, headName: '张三', members: members.map((m, j) => ({ ...m, idNumber: idNumber(m.dateOfBirth, (i + 1) * 4 + j) })) };
};

synthIfStale();
const blueprint = readBlueprint(CDK_OUT);

// ---- 1. bundles: size and cold import, each against its SDK-only floor (bench/bundles.ts) ----
results.push(...(await bundleBench(blueprint)));

// ---- 1b. the console: JS/CSS gzip against its libraries' floor (bench/console.ts) ----
results.push(...(await consoleSizes()));
await buildConsole();

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

  const oneCase = async (i: number, standard: unknown = MINIMAL_STANDARD) => {
    const project = await call(tokens.district, 'POST', '/projects', { name: `基准项目 ${i}`, district: 'yongzhou/lengshuitan', villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] });
    await call(tokens.land, 'PUT', `/projects/${project.id}/notice`, { title: '征收土地通告', body: '正文', registrationPeriod: '30d', registrationPlace: '街道' });
    await call(tokens.legal, 'POST', `/projects/${project.id}/notice/review`, { decision: 'approve' });
    await call(tokens.land, 'POST', `/projects/${project.id}/notice/publish`);
    await call(tokens.township, 'POST', `/projects/${project.id}/registrations`, { villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: true });
    await call(tokens.land, 'PUT', `/projects/${project.id}/plan`, { title: '方案', body: '正文', standard });
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

  // One household through the API (seed §五(一)4): entered with 4 members (ID numbers sealed by
  // KMS), its 15-item survey recorded, its compensation computed — timed per household.
  const households = 20;
  const project = await oneCase(-2, FULL_STANDARD);
  const oneHousehold = async (i: number) => {
    const household = await call(tokens.township, 'POST', `/projects/${project}/households`, householdBody(i));
    await call(tokens.township, 'PUT', `/households/${household.householdId}/survey`, SURVEY);
    const compensation = await call(tokens.land, 'POST', `/households/${household.householdId}/compensation`);
    if (compensation.lines.length !== SURVEY_LINES) throw new Error(`household ${i}: ${compensation.lines.length} lines, expected ${SURVEY_LINES}`);
  };
  await oneHousehold(-1);
  const perHousehold = await timed(households, oneHousehold);
  record('e2e', `household: create (4 members) + survey (15 items) + compute, p50 of ${households} (3 API calls each)`, median(perHousehold), 'ms', baseline);

  // The console's first meaningful paint of 我的待办 against a blank page (bench/console.ts).
  results.push(...(await consoleFirstPaint(cloud)));
} finally {
  await cloud.stop();
}

// ---- 3. the legal calendar ----
results.push(...(await calendarBench()));

// ---- 4. a household's compensation: computeCompensation against its exact arithmetic alone (bench/compensation.ts) ----
results.push(...(await compensationBench()));

// ---- 5. the survey workbook import: parse throughput against exceljs reading alone (bench/import.ts) ----
results.push(...(await importBench()));

console.log('\n| bench | metric | value | unit | baseline | ratio |\n|---|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.bench} | ${r.metric} | ${r.value} | ${r.unit} | ${r.baseline ?? ''} | ${r.ratio ?? ''} |`);
console.log('\nRatios: value ÷ baseline from this run (bundles: the SDK-only floor of the clients each function uses, bundled the same way; API: GET /health; e2e: ms per case or per household ÷ ms per health request; compensation: the same multiplyToFen + sumFen calls alone; import: exceljs streaming the same workbook without validation).');
process.exit(0);
