/**
 * Benchmark of the survey workbook import (decision 0016): parse throughput of a generated
 * workbook of N households × 15 rows, against — as the baseline measured in the same run — the
 * library floor: exceljs streaming-reading the same bytes row by row (worksheet-stream.ts, the
 * same zip walk and temporary files) with no validation. The ratio is what the rules cost on top
 * of reading. Peak heapUsed (sampled every 500 rows) is reported the same way. Median of 3 runs.
 *
 *   node bench/import.ts [--households N]   # prints one JSON line per metric
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSurveyWorkbook } from '../services/compensation/adapters/workbook/survey-workbook-xlsx.ts';
import { STANDARD, TODAY, VILLAGE_GROUPS, generatedSpec, streamOf, writeWorkbook } from '../services/compensation/adapters/workbook/test-helpers.ts';
import { worksheetsOf } from '../services/compensation/adapters/workbook/worksheet-stream.ts';
import type { BenchResult } from './calendar.ts';

const RUNS = 3;
const ROWS_PER_HOUSEHOLD = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
const round = (n: number) => Math.round(n * 100) / 100;
const MiB = 2 ** 20;

async function measure(fn: (sample: () => void) => Promise<number>): Promise<{ ms: number; rows: number; peakMiB: number }> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const t0 = performance.now();
  const rows = await fn(sample);
  const ms = performance.now() - t0;
  sample();
  return { ms, rows, peakMiB: (peak - before) / MiB };
}

export async function run(households = 2000): Promise<BenchResult[]> {
  const bytes = await writeWorkbook(generatedSpec(households));
  const expectedRows = households * ROWS_PER_HOUSEHOLD;

  const parse = (sample: () => void) =>
    parseSurveyWorkbook(streamOf(bytes), { standard: STANDARD, villageGroupIds: VILLAGE_GROUPS.map((g) => g.id), today: TODAY, onProgress: sample, progressEvery: 500 }).then((result) => {
      if (result.households.length !== households) throw new Error(`parsed ${result.households.length} households, expected ${households}`);
      return result.rowCount;
    });
  const floor = async (sample: () => void) => {
    let rows = 0;
    let cells = 0;
    for await (const sheet of worksheetsOf(streamOf(bytes), { sharedStrings: 'cache', styles: 'cache' })) {
      for await (const row of sheet.rows) {
        if (row.number === 1) continue;
        cells += (row.values as unknown[]).length;
        if (++rows % 500 === 0) sample();
      }
    }
    if (cells === 0) throw new Error('the floor read nothing');
    return rows;
  };

  await parse(() => undefined);
  await floor(() => undefined);
  const parsed: Array<Awaited<ReturnType<typeof measure>>> = [];
  const floors: Array<Awaited<ReturnType<typeof measure>>> = [];
  for (let i = 0; i < RUNS; i++) {
    parsed.push(await measure(parse));
    floors.push(await measure(floor));
  }
  for (const m of [...parsed, ...floors]) if (m.rows !== expectedRows) throw new Error(`read ${m.rows} rows, expected ${expectedRows}`);

  const rate = (ms: number) => expectedRows / (ms / 1000);
  const value = round(rate(median(parsed.map((m) => m.ms))));
  const base = round(rate(median(floors.map((m) => m.ms))));
  const heap = round(median(parsed.map((m) => m.peakMiB)));
  const heapBase = round(median(floors.map((m) => m.peakMiB)));
  const label = `${households.toLocaleString('en')} households × ${ROWS_PER_HOUSEHOLD} rows (${Math.round(bytes.length / 1024)} KiB)`;
  return [
    { bench: 'import', metric: `survey workbook parse, ${label}`, value, unit: 'rows/s', baseline: base, ratio: round(value / base) },
    { bench: 'import', metric: `peak heapUsed growth while parsing, ${label}`, value: heap, unit: 'MiB', baseline: heapBase, ratio: round(heap / heapBase) },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf('--households');
  const households = at > 0 ? Number(process.argv[at + 1]) : 2000;
  for (const r of await run(households)) console.log(JSON.stringify(r));
}
