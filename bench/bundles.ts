/**
 * Bundle size and cold import time of every function, each against its own SDK-only floor (the
 * AWS clients and commands it uses, bundled the same way) built in the same run; plus what
 * `--enable-source-maps` costs at cold start and per thrown error. `node bench/bundles.ts` runs
 * this part alone (needs a synthesized cdk.out).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CDK_OUT, synthIfStale } from '../infra/local/synth.ts';
import { readBlueprint, type Blueprint } from '../infra/local/template.ts';
import type { BenchResult } from './calendar.ts';
import { bundleLikeCdk, describeUse, floorSource, sdkUseOf } from './sdk-floor.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Runs `script` (an ES module body) in fresh Node processes; the median of what each prints. */
function medianOfRuns(script: string, env: Record<string, string>, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`bench script failed: ${out.stderr}`);
    times.push(Number(out.stdout.trim().split('\n').at(-1)));
  }
  return median(times);
}

export async function run(blueprint: Blueprint, runs = 15): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const record = (metric: string, value: number, unit: string, baseline: number) =>
    results.push({ bench: 'bundle', metric, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline) });
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const env = {
    // A stand-in for every setting the functions read at cold start (validated there: URLs must parse).
    ...Object.fromEntries(blueprint.functions.flatMap((f) => Object.keys(f.environment)).map((k) => [k, k.endsWith('_URL') ? `http://127.0.0.1:9/bench-${k}` : `bench-${k}`])),
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'silent',
    NODE_OPTIONS: '',
  };
  const importScript = (file: string) => `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  /**
   * Cold imports of a function and of its floor, alternated run by run so that both see the same
   * machine load (measured one after the other, a busy neighbour skews one side only).
   */
  const pairedColdImportMs = (file: string, floorFile: string, nodeOptions = '') => {
    const mine: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      mine.push(medianOfRuns(importScript(file), { ...env, NODE_OPTIONS: nodeOptions }, 1));
      floor.push(medianOfRuns(importScript(floorFile), env, 1));
    }
    return { value: median(mine), floor: median(floor) };
  };

  for (const fn of blueprint.functions) {
    const name = fn.logicalId.replace(/Function.*$/, '');
    const use = sdkUseOf(fn.bundle);
    const floor = join(work, `${name}-floor.mjs`);
    await bundleLikeCdk(floorSource(use), floor);
    record(`${name} size (floor: ${describeUse(use)})`, statSync(fn.bundle).size / 1024, 'KiB', statSync(floor).size / 1024);
    const plain = pairedColdImportMs(fn.bundle, floor);
    record(`${name} cold import`, plain.value, 'ms', plain.floor);
    // The same import with the flag Lambda functions ran with, against the same floor.
    const mapped = pairedColdImportMs(fn.bundle, floor, '--enable-source-maps');
    record(`${name} cold import, --enable-source-maps`, mapped.value, 'ms', mapped.floor);
  }

  // A thrown error's stack, formatted (as a log line or the Lambda runtime does): with the flag,
  // every frame is mapped through the bundle's source map (parsed on first use).
  const worker = blueprint.functions.find((f) => f.logicalId.startsWith('DeadlinesWorker'));
  if (worker) {
    const errors = (flag: string, first: boolean) =>
      medianOfRuns(
        `const { handler } = await import(${JSON.stringify(pathToFileURL(worker.bundle).href)});
         const one = async () => { const t = performance.now(); try { await handler({ action: 'nonsense' }); } catch (e) { void e.stack; } return performance.now() - t; };
         const firstMs = await one(); const rest = []; for (let i = 0; i < 200; i++) rest.push(await one());
         rest.sort((a, b) => a - b); console.log(${first ? 'firstMs' : 'rest[100]'});`,
        { ...env, NODE_OPTIONS: flag },
        runs,
      );
    const plainFirst = errors('', true);
    const plainNext = errors('', false);
    record('DeadlinesWorker first thrown error, --enable-source-maps', errors('--enable-source-maps', true), 'ms', plainFirst);
    record('DeadlinesWorker each later thrown error, --enable-source-maps', errors('--enable-source-maps', false), 'ms', plainNext);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  synthIfStale();
  const results = await run(readBlueprint(CDK_OUT));
  console.log('\n| metric | value | unit | floor | ratio |\n|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${r.baseline} | ${r.ratio} |`);
}
