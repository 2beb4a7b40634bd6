/**
 * `npm run bench -- maintenance --deadlines 100000 --correction 10000`: decision 0013's jobs at
 * scale on a fresh local cloud. Seeds N live deadlines (C of them due on 16 Oct 2026, the rest on
 * 15 Oct), runs an hourly reconcile job to completion (it starts N watch workflows), then corrects
 * the 2026 calendar through the API so that 16 Oct is a rest day and runs the recount job: the C
 * moved deadlines' case phases must each be restarted exactly once (one ABORTED first generation,
 * one RUNNING `-r1`), the others left alone.
 *
 * `--deadlines 1000,10000,30000` measures each size in its own process (peak RSS is per process)
 * with C in the same proportion as at the largest size, and prints the per-1,000 curve.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { ensureDynamoDbLocal, startDynamoDbLocal } from '../infra/local/servers/dynamodb-local.ts';
import { CDK_OUT, synthIfStale } from '../infra/local/synth.ts';
import { builtInYears } from '../shared/calendar/index.ts';
import { seedLiveWatches } from '../test/support/seed-watches.ts';
import type { BenchResult } from './calendar.ts';

/** What one size measured (one process, one fresh local cloud). */
interface SizeResult {
  deadlines: number;
  correction: number;
  healthMs: number;
  seedMs: number;
  reconcileMs: number;
  reconcilePages: number;
  recountMs: number;
  recountPages: number;
  startRssMb: number;
  peakRssMb: number;
  /** Case phases whose executions are not exactly as expected after the correction. */
  wrong: number;
  movedOnce: number;
}

// The seed's two trigger instants: 45 calendar days later end on 15 Oct (kept) and 16 Oct (moved to 19 Oct).
const KEPT_FROM = '2026-08-31T02:00:00Z';
const MOVED_FROM = '2026-09-01T02:00:00Z';
const CORRECTED_DAY = '2026-10-16';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'maintenance'),
  options: {
    deadlines: { type: 'string', default: '100000' },
    correction: { type: 'string' },
    // DynamoDB Local without its SQLite files (as the tests run it): the disk out of the measure.
    'in-memory': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.deadlines.split(',').map(Number);
const largest = Math.max(...sizes);
const correctionAtLargest = values.correction === undefined ? Math.round(largest / 10) : Number(values.correction);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(correctionAtLargest) || correctionAtLargest < 1 || correctionAtLargest > largest) {
  throw new Error('usage: npm run bench -- maintenance --deadlines N[,N…] [--correction C ≤ N]');
}
const correctionFor = (n: number) => Math.max(1, Math.round((n * correctionAtLargest) / largest));

if (values.json) {
  // A child of the curve (or a single size): one line of JSON on stdout.
  const result = await measure(sizes[0]!, correctionFor(sizes[0]!));
  console.log(JSON.stringify(result));
  process.exit(result.wrong === 0 ? 0 : 1);
}

synthIfStale();
const results: SizeResult[] = [];
for (const n of sizes) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--json', '--deadlines', String(n), '--correction', String(correctionFor(n)), ...(values['in-memory'] ? ['--in-memory'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`maintenance bench at ${n} deadlines ended without a result (status ${child.status}): ${child.stdout.slice(-2000)}`);
  results.push(JSON.parse(line) as SizeResult);
  console.error(`[bench] ${n} deadlines measured in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
printTable(results);
process.exit(results.every((r) => r.wrong === 0) ? 0 : 1);

async function measure(n: number, c: number): Promise<SizeResult> {
  process.env.LOG_LEVEL = 'silent';
  await ensureDynamoDbLocal();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-maintenance-'));
  const memory = values['in-memory'] ? await startDynamoDbLocal({ port: 0 }) : undefined;
  const cloud = await startLocalCloud({
    dataDir,
    cdkOut: CDK_OUT,
    fresh: true,
    clockStart: new Date('2026-09-01T09:00:00+08:00'),
    log: () => undefined,
    ...(memory ? { dynamodb: { endpoint: memory.endpoint, tablePrefix: '' } } : {}),
  });
  process.env.LOG_LEVEL = 'silent';
  try {
    const token = await cloud.token('leading-group-office', 'yongzhou');
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${cloud.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const health: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await call('GET', '/health');
      health.push(performance.now() - t);
    }
    const startRssMb = process.memoryUsage().rss / 2 ** 20;

    let t = performance.now();
    const kept = await seedLiveWatches(n - c, KEPT_FROM, 'KEEP');
    const moved = await seedLiveWatches(c, MOVED_FROM, 'MOVE');
    const seedMs = performance.now() - t;

    // As the hourly schedule does, an hour on (the start-up job of an empty table has run).
    await cloud.advance(3_600_000);
    t = performance.now();
    const { jobId } = (await cloud.invoke('DeadlinesWorker', { action: 'reconcile', now: new Date(cloud.clock.now()).toISOString() })) as { jobId: string };
    const reconciled = await finished(jobId);
    const reconcileMs = performance.now() - t;
    if (reconciled.counts.restarted !== n || reconciled.counts.failed !== 0) throw new Error(`reconcile: ${JSON.stringify(reconciled)}`);

    const y2026 = builtInYears().find((y) => y.year === 2026)!;
    const corrected = { ...y2026, holidays: [...y2026.holidays, { date: CORRECTED_DAY, name: '基准测试更正' }], source: '基准测试更正数据（非国务院安排）', updatedAt: '2026-09-02' };
    t = performance.now();
    const put = await call('PUT', '/calendar/years/2026', corrected);
    if (put.status !== 202) throw new Error(`PUT /calendar/years/2026 → ${put.status}`);
    const recounted = await finished(put.body.job.jobId as string);
    const recountMs = performance.now() - t;
    if (recounted.counts.changed !== c || recounted.counts.restarted !== c || recounted.counts.failed !== 0) throw new Error(`recount: ${JSON.stringify(recounted)}`);

    // Exactly once, from the executions themselves: moved phases ABORTED + RUNNING -r1, kept ones untouched.
    const byCase = new Map<string, string[]>();
    for (const e of cloud.stepFunctions.executions()) {
      const at = e.name.indexOf('-project');
      if (at < 0) continue;
      const caseId = e.name.slice(0, at);
      byCase.set(caseId, [...(byCase.get(caseId) ?? []), `${e.name.slice(at)}:${e.status}`]);
    }
    const expectOf = (caseId: string, expected: string) => (byCase.get(caseId)?.sort().join(',') === expected ? 0 : 1);
    const movedWrong = moved.reduce((sum, id) => sum + expectOf(id, '-project-r1:RUNNING,-project:ABORTED'), 0);
    const keptWrong = kept.reduce((sum, id) => sum + expectOf(id, '-project:RUNNING'), 0);

    return {
      deadlines: n,
      correction: c,
      healthMs: median(health),
      seedMs,
      reconcileMs,
      reconcilePages: reconciled.pages,
      recountMs,
      recountPages: recounted.pages,
      startRssMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      wrong: movedWrong + keptWrong,
      movedOnce: c - movedWrong,
    };
  } finally {
    await cloud.stop();
    await memory?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  /** Lets the job's workflow run (retry backoffs pass on the virtual clock) until its record reads completed. */
  async function finished(jobId: string): Promise<{ status: string; pages: number; counts: Record<string, number> }> {
    const leading = await cloud.token('leading-group-office', 'yongzhou');
    for (let round = 0; ; round++) {
      await cloud.advance(round === 0 ? 0 : 60_000);
      const response = await fetch(`${cloud.apiUrl}/calendar/jobs/${jobId}`, { headers: { authorization: `Bearer ${leading}` } });
      const job = (await response.json()) as { status: string; pages: number; counts: Record<string, number> };
      if (job.status === 'completed') return job;
      if (job.status === 'failed' || round > 100) throw new Error(`job ${jobId}: ${JSON.stringify(job)}`);
    }
  }
}

function printTable(sizes: SizeResult[]): void {
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));
  const first = sizes[0]!;
  const rows: BenchResult[] = [];
  const row = (bench: string, metric: string, value: number, unit: string, baseline: number) =>
    rows.push({ bench, metric, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline) });
  for (const r of sizes) {
    const per1k = (ms: number, count: number) => (ms / count) * 1000;
    const at = `N=${r.deadlines}`;
    row('api', `${at} GET /health p50 (baseline)`, r.healthMs, 'ms', r.healthMs);
    row('seed', `${at} seed (BatchWriteItem) per 1,000 deadlines`, per1k(r.seedMs, r.deadlines), 'ms', r.healthMs * 1000);
    // Ratio: ms per live deadline ÷ ms per GET /health.
    row('reconcile', `${at} reconcile job (${r.reconcilePages} pages, ${r.deadlines} watchers started) per 1,000 live`, per1k(r.reconcileMs, r.deadlines), 'ms', r.healthMs * 1000);
    row('reconcile', `${at} per 1,000 live, vs N=${first.deadlines} (linearity)`, per1k(r.reconcileMs, r.deadlines), 'ms', per1k(first.reconcileMs, first.deadlines));
    row('memory', `${at} peak RSS of the process`, r.peakRssMb, 'MB', r.startRssMb);
    row('memory', `${at} peak RSS above start-up per 1,000 live`, ((r.peakRssMb - r.startRssMb) / r.deadlines) * 1000, 'MB', ((first.peakRssMb - first.startRssMb) / first.deadlines) * 1000);
    row('recount', `${at} recount job, C=${r.correction} moved (${r.recountPages} pages) per 1,000 moved`, per1k(r.recountMs, r.correction), 'ms', r.healthMs * 1000);
    row('recount', `${at} per 1,000 moved, vs N=${first.deadlines} (linearity)`, per1k(r.recountMs, r.correction), 'ms', per1k(first.recountMs, first.correction));
    row('recount', `${at} per 1,000 live read`, per1k(r.recountMs, r.deadlines), 'ms', r.healthMs * 1000);
    rows.push({ bench: 'recount', metric: `${at} phases restarted exactly once (ABORTED + RUNNING -r1) / moved; others untouched`, value: r.movedOnce, unit: 'phases', baseline: r.correction, ratio: round(r.movedOnce / r.correction) });
    rows.push({ bench: 'recount', metric: `${at} case phases with other executions than expected`, value: r.wrong, unit: 'phases', baseline: 0 });
  }
  console.log('\n| bench | metric | value | unit | baseline | ratio |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.bench} | ${r.metric} | ${r.value} | ${r.unit} | ${r.baseline ?? ''} | ${r.ratio ?? ''} |`);
  console.log(
    '\nRatios: per-1,000 times ÷ 1,000 GET /health p50 of the same process (= ms per deadline ÷ ms per health request); "vs N=…": per-1,000 at this size ÷ at the smallest (1 = linear); peak RSS ÷ RSS after start-up. RSS is this Node process (local cloud, interpreter, handlers), not DynamoDB Local\'s JVM.',
  );
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
