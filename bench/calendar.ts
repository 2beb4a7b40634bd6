/**
 * Benchmark of the legal calendar: 100,000 mixed deadlines (all four period kinds, triggers spread
 * over 2024–2026) against, as the baseline measured in the same run, 100,000 plain `Date`
 * additions of the same day counts (parse the same ISO string, add, `toISOString`: the same input
 * and output as a deadline, none of the law). Warm-up first; the median of several runs is reported.
 *
 *   node bench/calendar.ts        # prints one JSON line per metric
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HolidayCalendar, computeDeadline } from '../shared/calendar/index.ts';

export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

const COUNT = 100_000;
const RUNS = 5;
const DAY_MS = 86_400_000;
/** A realistic mix: the procedure's own clocks, working-day waits weighted up. */
const PERIODS = ['7wd', '7wd', '10wd', '10d', '10d', '45d', '3mo', '6mo', '1mo', '2h'] as const;
/** Day counts the baseline adds for the same periods (months as 30 days, hours as fractions). */
const BASELINE_DAYS: Record<(typeof PERIODS)[number], number> = {
  '7wd': 7, '10wd': 10, '10d': 10, '45d': 45, '3mo': 90, '6mo': 180, '1mo': 30, '2h': 2 / 24,
};

interface Input {
  period: (typeof PERIODS)[number];
  from: string;
}

/** Deterministic inputs (a small LCG), triggers from 2024-01-01 to 2026-06-30 so 6mo stays in the data. */
function makeInputs(count: number): Input[] {
  const start = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2026, 5, 30) - start;
  let seed = 0x2026;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const fromMs = start + Math.floor(next() * span);
    const period = PERIODS[Math.floor(next() * PERIODS.length)] ?? '7wd';
    return { period, from: new Date(fromMs).toISOString() };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(fn: () => number): { ms: number; sink: number } {
  const t0 = performance.now();
  const sink = fn();
  return { ms: performance.now() - t0, sink };
}

export async function run(): Promise<BenchResult[]> {
  const calendar = HolidayCalendar.builtIn();
  const inputs = makeInputs(COUNT);

  const deadlines = () => {
    let sink = 0;
    for (const { period, from } of inputs) sink += computeDeadline(period, from, calendar).lastDay.length;
    return sink;
  };
  // Same input and output shape as the calendar: parse the ISO string, add, write ISO.
  const dateAdditions = () => {
    let sink = 0;
    for (const { period, from } of inputs) {
      const date = new Date(from);
      date.setTime(date.getTime() + BASELINE_DAYS[period] * DAY_MS);
      sink += date.toISOString().length;
    }
    return sink;
  };

  deadlines();
  dateAdditions();
  const ms: number[] = [];
  const baseline: number[] = [];
  let sink = 0;
  for (let i = 0; i < RUNS; i++) {
    const a = time(deadlines);
    const b = time(dateAdditions);
    ms.push(a.ms);
    baseline.push(b.ms);
    sink += a.sink + b.sink;
  }
  if (sink === 0) throw new Error('benchmark produced nothing');

  const value = round(median(ms));
  const base = round(median(baseline));
  return [{ bench: 'calendar', metric: '100k mixed deadlines', value, unit: 'ms', baseline: base, ratio: round(value / base) }];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  for (const r of await run()) {
    console.log(JSON.stringify({ bench: r.bench, metric: r.metric, ms: r.value, baselineMs: r.baseline, ratio: r.ratio }));
  }
}
