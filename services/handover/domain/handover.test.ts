import { describe, expect, it } from 'vitest';
import type { HouseholdPaymentStatus } from '../../../shared/cases/household-money.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import { checkDistribution, recordDistribution } from './distribution.ts';
import {
  confirmHandover,
  emptyHandover,
  enforcementEligibility,
  handoverState,
  householdSteps,
  recordCancellation,
  recordClearing,
  recordHandover,
  recordRefusal,
  type HouseholdHandover,
} from './handover.ts';

const TOWNSHIP: Identity = { user: 'zhou.tw', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' };
const BRANCH: Identity = { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const URBAN: Identity = { user: 'lin.um', agency: 'urban-management', jurisdiction: 'yongzhou' };
const FINANCE: Identity = { user: 'qian.fi', agency: 'finance', jurisdiction: 'yongzhou' };

const photo = (key: string, by: Identity = TOWNSHIP): EvidenceRecord => ({ key, sha256: 'a'.repeat(64), size: 10, contentType: 'image/jpeg', uploadedBy: by, verifiedAt: '2026-12-01T02:00:00.000Z' });
const status = (over: Partial<HouseholdPaymentStatus> = {}): HouseholdPaymentStatus => ({
  householdId: 'H1', projectId: 'P1', agreementId: 'A1', agreementNumber: 'XY-001', dueFen: 12_345_600, paidFen: 12_345_600, inFlightFen: 0, outstandingFen: 0,
  paidInFullAt: '2026-11-30T02:00:00.000Z', rejectedGroups: [], updatedAt: '2026-11-30T02:00:00.000Z', ...over,
});
const PAID = status();
const UNPAID = status({ paidFen: 10_000_000, outstandingFen: 2_345_600, paidInFullAt: undefined });
const NOW = new Date('2026-12-02T10:00:00+08:00');
const at = (text: string) => new Date(text);
const handoverInput = { handedOverAt: at('2026-12-01T09:00:00+08:00'), place: '梅湾村一组', parcels: ['DK-1', 'DK-2'], photos: [photo('p1')] };

const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; category: string; message: string };
  }
  throw new Error('not refused');
};
const fresh = () => emptyHandover('H1', 'P1');
const handedOver = (): HouseholdHandover => confirmHandover(recordHandover(fresh(), handoverInput, PAID, TOWNSHIP, NOW), undefined, PAID, BRANCH, NOW);

describe('handover (腾地、交地): compensate first, then move; two parties sign it off', () => {
  it('is refused before full payment, naming paid and outstanding in yuan', () => {
    const error = refused(() => recordHandover(fresh(), handoverInput, UNPAID, TOWNSHIP, NOW));
    expect(error).toMatchObject({ code: 'handover.not-paid', category: 'rule' });
    expect(error.message).toContain('已付 100,000.00 元，未付 23,456.00 元');
    expect(refused(() => recordHandover(fresh(), handoverInput, undefined, BRANCH, NOW))).toMatchObject({ code: 'handover.not-paid', message: expect.stringContaining('尚无支付记录') });
  });

  it('is recorded by either party with photos, and complete only when the other confirms', () => {
    const recorded = recordHandover(fresh(), handoverInput, PAID, BRANCH, NOW);
    expect(handoverState(recorded)).toBe('awaiting-confirmation');
    expect(refused(() => confirmHandover(recorded, undefined, PAID, BRANCH, NOW))).toMatchObject({ code: 'forbidden.same-party', category: 'forbidden' });
    const done = confirmHandover(recorded, '已核实', PAID, TOWNSHIP, NOW);
    expect(handoverState(done)).toBe('handed-over');
    expect(done.handover?.confirmation).toMatchObject({ by: TOWNSHIP, note: '已核实' });
    expect(refused(() => confirmHandover(done, undefined, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.already-confirmed', category: 'conflict' });
    expect(refused(() => recordHandover(done, handoverInput, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.already-recorded', category: 'conflict' });
  });

  it('refuses no photo, a time in the future or before the payment settled, repeated parcels, other agencies, and a confirmation of nothing', () => {
    expect(refused(() => recordHandover(fresh(), { ...handoverInput, photos: [] }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.photo-required' });
    expect(refused(() => recordHandover(fresh(), { ...handoverInput, handedOverAt: at('2026-12-02T10:00:01+08:00') }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.in-future' });
    expect(refused(() => recordHandover(fresh(), { ...handoverInput, handedOverAt: at('2026-11-30T09:59:59+08:00') }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.too-early', category: 'rule' });
    expect(refused(() => recordHandover(fresh(), { ...handoverInput, parcels: ['DK-1', 'DK-1'] }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.parcel-duplicate' });
    expect(refused(() => recordHandover(fresh(), handoverInput, PAID, FINANCE, NOW))).toMatchObject({ code: 'forbidden.agency' });
    expect(refused(() => confirmHandover(fresh(), undefined, PAID, BRANCH, NOW))).toMatchObject({ code: 'handover.not-recorded' });
  });

  it('checks the payment again at the confirmation (a supplementary agreement may have raised what is due)', () => {
    const recorded = recordHandover(fresh(), handoverInput, PAID, TOWNSHIP, NOW);
    expect(refused(() => confirmHandover(recorded, undefined, UNPAID, BRANCH, NOW))).toMatchObject({ code: 'handover.not-paid' });
  });
});

describe('refused handover (拒不腾地) and enforcement eligibility', () => {
  const refusal = { refusedAt: at('2026-12-01T15:00:00+08:00'), persuasionCount: 3, measures: '三次上门宣讲政策', evidence: [photo('r1')] };

  it('makes a household paid in full eligible for the enforcement chain, with the reason; a later handover closes it', () => {
    const file = recordRefusal(fresh(), refusal, PAID, BRANCH, NOW);
    expect(handoverState(file)).toBe('refused');
    expect(enforcementEligibility(file)).toEqual({ eligible: true, reason: expect.stringContaining('已动员 3 次') });
    expect(householdSteps(file, NOW)).toEqual([expect.objectContaining({ key: 'handover', status: 'refused', detail: expect.stringContaining('限期腾地') })]);
    const again = recordRefusal(file, { ...refusal, refusedAt: at('2026-12-02T09:00:00+08:00'), persuasionCount: 5 }, PAID, TOWNSHIP, NOW);
    expect(again.refusals).toHaveLength(2);
    const moved = recordHandover(again, { ...handoverInput, handedOverAt: at('2026-12-02T09:30:00+08:00') }, PAID, TOWNSHIP, NOW);
    expect(enforcementEligibility(moved)).toEqual({ eligible: false });
    expect(householdSteps(moved, NOW)).toEqual([expect.objectContaining({ key: 'handover', status: 'open' })]);
  });

  it('is refused before full payment (the household may stay until paid), after a handover, without evidence, or with a falling count', () => {
    expect(refused(() => recordRefusal(fresh(), refusal, UNPAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.not-paid' });
    expect(refused(() => recordRefusal(handedOver(), refusal, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.already-handed-over', category: 'conflict' });
    expect(refused(() => recordRefusal(fresh(), { ...refusal, evidence: [] }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.refusal-evidence-required' });
    expect(refused(() => recordRefusal(fresh(), { ...refusal, refusedAt: at('2026-11-29T00:00:00+08:00') }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.too-early' });
    const file = recordRefusal(fresh(), refusal, PAID, TOWNSHIP, NOW);
    expect(refused(() => recordRefusal(file, { ...refusal, persuasionCount: 2 }, PAID, TOWNSHIP, NOW))).toMatchObject({ code: 'handover.persuasion-count' });
    expect(refused(() => recordRefusal(fresh(), refusal, PAID, URBAN, NOW))).toMatchObject({ code: 'forbidden.agency' });
  });
});

describe('clearing (清表交地) and certificate cancellation: only after the handover is complete', () => {
  const clearing = { clearedAt: at('2026-12-02T08:00:00+08:00'), photos: [photo('c1', URBAN)] };
  const cancellation = { certificates: [{ kind: 'house-ownership' as const, number: '冷房权证字第 0012 号' }, { kind: 'collective-land-use' as const, number: '冷集用（2001）第 88 号' }], registrationIds: ['R1'], cancelledOn: '2026-12-02' };

  it('opens clearing and certificates once handed over, and marks each done', () => {
    const file = handedOver();
    expect(householdSteps(file, NOW).map((s) => [s.key, s.status])).toEqual([['handover', 'done'], ['clearing', 'open'], ['certificates', 'open']]);
    const cleared = recordClearing(file, clearing, URBAN, NOW);
    const cancelled = recordCancellation(cleared, cancellation, BRANCH, NOW);
    const steps = householdSteps(cancelled, NOW);
    expect(steps.map((s) => [s.key, s.status])).toEqual([['handover', 'done'], ['clearing', 'done'], ['certificates', 'done']]);
    expect(steps[2]!.detail).toBe('2026-12-02 注销 房屋所有权证 冷房权证字第 0012 号、集体土地使用证 冷集用（2001）第 88 号');
  });

  it('refuses clearing before the handover is confirmed, twice, before the handover time, without photos, or by another agency', () => {
    const recorded = recordHandover(fresh(), handoverInput, PAID, TOWNSHIP, NOW);
    expect(refused(() => recordClearing(recorded, clearing, URBAN, NOW))).toMatchObject({ code: 'handover.not-handed-over', category: 'rule' });
    const cleared = recordClearing(handedOver(), clearing, URBAN, NOW);
    expect(refused(() => recordClearing(cleared, clearing, URBAN, NOW))).toMatchObject({ code: 'handover.clearing-recorded' });
    expect(refused(() => recordClearing(handedOver(), { ...clearing, clearedAt: at('2026-12-01T08:00:00+08:00') }, URBAN, NOW))).toMatchObject({ code: 'handover.too-early' });
    expect(refused(() => recordClearing(handedOver(), { ...clearing, photos: [] }, URBAN, NOW))).toMatchObject({ code: 'handover.photo-required' });
    expect(refused(() => recordClearing(handedOver(), clearing, TOWNSHIP, NOW))).toMatchObject({ code: 'forbidden.agency' });
  });

  it('refuses a cancellation before the handover, a certificate listed or cancelled twice, and impossible or future dates', () => {
    expect(refused(() => recordCancellation(fresh(), cancellation, BRANCH, NOW))).toMatchObject({ code: 'handover.not-handed-over' });
    const once = recordCancellation(handedOver(), cancellation, BRANCH, NOW);
    expect(refused(() => recordCancellation(once, { ...cancellation, certificates: [cancellation.certificates[0]!] }, BRANCH, NOW))).toMatchObject({ code: 'handover.certificate-already-cancelled', category: 'conflict' });
    expect(refused(() => recordCancellation(handedOver(), { ...cancellation, certificates: [cancellation.certificates[0]!, cancellation.certificates[0]!] }, BRANCH, NOW))).toMatchObject({ code: 'handover.certificate-duplicate' });
    expect(refused(() => recordCancellation(handedOver(), { ...cancellation, cancelledOn: '2026-02-30' }, BRANCH, NOW))).toMatchObject({ code: 'handover.date-invalid' });
    expect(refused(() => recordCancellation(handedOver(), { ...cancellation, cancelledOn: '2026-12-03' }, BRANCH, NOW))).toMatchObject({ code: 'handover.in-future' });
    expect(refused(() => recordCancellation(handedOver(), { ...cancellation, cancelledOn: '2026-11-30' }, BRANCH, NOW))).toMatchObject({ code: 'handover.too-early' });
    expect(refused(() => recordCancellation(handedOver(), cancellation, TOWNSHIP, NOW))).toMatchObject({ code: 'forbidden.agency' });
  });
});

describe('the collective\'s distribution disclosure', () => {
  const input = { postedAt: at('2026-12-01T10:00:00+08:00'), distributedFen: 8_000_000_00, postings: [photo('d1')], plans: [photo('d2')] };

  it('is numbered within the group and needs a posting photo and the plan', () => {
    const first = recordDistribution([], { projectId: 'P1', villageGroupId: 'g1' }, input, TOWNSHIP, NOW);
    expect(first).toMatchObject({ seq: 1, distributedFen: 8_000_000_00, postedAt: '2026-12-01T02:00:00.000Z' });
    expect(recordDistribution([first], { projectId: 'P1', villageGroupId: 'g1' }, input, TOWNSHIP, NOW).seq).toBe(2);
    expect(refused(() => recordDistribution([], { projectId: 'P1', villageGroupId: 'g1' }, { ...input, plans: [] }, TOWNSHIP, NOW))).toMatchObject({ code: 'distribution.plan-required' });
    expect(refused(() => recordDistribution([], { projectId: 'P1', villageGroupId: 'g1' }, { ...input, postings: [] }, TOWNSHIP, NOW))).toMatchObject({ code: 'distribution.posting-required' });
  });

  it('refuses fractional or negative fen, a future posting and agencies other than the township', () => {
    expect(refused(() => checkDistribution({ ...input, distributedFen: 10.5 }, TOWNSHIP, NOW))).toMatchObject({ code: 'distribution.amount-invalid' });
    expect(refused(() => checkDistribution({ ...input, distributedFen: -1 }, TOWNSHIP, NOW))).toMatchObject({ code: 'distribution.amount-invalid' });
    expect(refused(() => checkDistribution({ ...input, postedAt: at('2026-12-03T00:00:00+08:00') }, TOWNSHIP, NOW))).toMatchObject({ code: 'distribution.in-future' });
    expect(refused(() => checkDistribution(input, BRANCH, NOW))).toMatchObject({ code: 'forbidden.agency' });
  });
});
