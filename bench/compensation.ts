/**
 * Benchmark of a household's compensation (seed §五(二)): `computeCompensation` for a realistic
 * household — 15 survey items (3 parcels, 4 crops, 4 attachments, 4 houses, one of them illegal,
 * one crop planted after the notice) and 4 resettled members, 22 lines — against, as the baseline
 * measured in the same run, the exact arithmetic alone: the same `multiplyToFen` calls (one per
 * line, the same quantities and rates) and the same `sumFen` of their amounts. That arithmetic is
 * what no computation of these lines can skip (exact decimal × fen, rounded once per line); the
 * ratio is what the rules add on top — rate lookups, the 抢栽抢建 date checks, legality, zero
 * reasons, the line records. (A JSON round trip of the household would be no floor: the
 * computation never serialises anything.) Warm-up first; the median of several runs is reported.
 *
 *   node bench/compensation.ts        # prints one JSON line per metric
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeCompensation, type CompensationInput } from '../services/compensation/domain/compensation.ts';
import type { Household, SurveyItems } from '../services/compensation/domain/household.ts';
import { multiplyToFen, sumFen } from '../services/compensation/domain/quantity.ts';
import { ITEMS, MEMBERS, NOTICE_PUBLISHED_AT, STANDARD, STANDARD_LOCKED_AT, confirmedHousehold } from '../test/support/households.ts';
import type { BenchResult } from './calendar.ts';

const COUNT = 20_000;
const RUNS = 5;

/** The fixture household (test/support/households.ts), grown to 15 items and 4 members. */
function realisticHousehold(): Household {
  const legal = ITEMS.houses[0]!.determination!;
  const items: SurveyItems = {
    parcels: [...ITEMS.parcels, { itemId: 'p3', parcelNumber: '12-5', landClass: '水田', areaMu: '0.8765' }],
    crops: [...ITEMS.crops, { itemId: 'c4', crop: '水稻', areaMu: '0.8765' }],
    attachments: [...ITEMS.attachments, { itemId: 'a3', item: '围墙', unit: '米', quantity: '8.4' }, { itemId: 'a4', item: '水井', unit: '口', quantity: '1' }],
    houses: [...ITEMS.houses, { itemId: 'h4', structure: '砖木', floorAreaSquareMetres: '15.75', storeys: 1, legality: 'legal', determination: legal }],
  };
  const members = [...MEMBERS, { memberId: 'm4', name: '张小梅', relation: '子女', idNumberMasked: '4311**********0044', dateOfBirth: '2001-05-09' }];
  const household = confirmedHousehold({ members });
  return { ...household, survey: { ...household.survey!, ...items } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
const round = (n: number) => Math.round(n * 100) / 100;

export async function run(): Promise<BenchResult[]> {
  const household = realisticHousehold();
  const input: CompensationInput = {
    household,
    noticePublishedAt: NOTICE_PUBLISHED_AT,
    resettledMemberIds: household.members.map((m) => m.memberId),
    standard: STANDARD,
    standardLockedAt: STANDARD_LOCKED_AT,
    now: new Date('2026-09-20T02:00:00.000Z'),
  };
  const reference = computeCompensation(input);
  const { parcels, crops, attachments, houses } = household.survey!;
  const items = parcels.length + crops.length + attachments.length + houses.length;
  if (items !== 15 || household.members.length !== 4) throw new Error(`the household has ${items} items and ${household.members.length} members, expected 15 and 4`);
  // The baseline's inputs are the lines' own quantities and rates, so both sides multiply the same numbers.
  const products = reference.lines.map((l) => ({ quantity: l.quantity, rateFen: l.rateFen, label: l.description }));

  const computations = () => {
    let sink = 0;
    for (let i = 0; i < COUNT; i++) sink += computeCompensation(input).totalFen;
    return sink;
  };
  const arithmetic = () => {
    let sink = 0;
    for (let i = 0; i < COUNT; i++) sink += sumFen(products.map((p) => multiplyToFen(p.quantity, p.rateFen, p.label)));
    return sink;
  };

  computations();
  arithmetic();
  const ms: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const sink = computations();
    ms.push(performance.now() - t);
    t = performance.now();
    const floor = arithmetic();
    baseline.push(performance.now() - t);
    if (sink <= 0 || floor <= 0) throw new Error('benchmark produced nothing');
  }

  const rate = (runMs: number) => COUNT / (runMs / 1000);
  const value = round(rate(median(ms)));
  const base = round(rate(median(baseline)));
  const label = `computeCompensation, ${items} items, ${household.members.length} members, ${reference.lines.length} lines (baseline: the same ${reference.lines.length} multiplyToFen + sumFen)`;
  // computations/s: the ratio below 1 is the share of the arithmetic in the whole computation.
  return [{ bench: 'compensation', metric: label, value, unit: 'computations/s', baseline: base, ratio: round(value / base) }];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
