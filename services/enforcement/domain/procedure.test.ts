import { describe, expect, it } from 'vitest';
import { HolidayCalendar, MissingHolidayDataError } from '../../../shared/calendar/index.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { EnforcementChain, InstrumentTerms } from './chain.ts';
import { agencyClocks, remedyPeriodsEnd } from './clocks.ts';
import { fileCourtReview, recordAcceptance, recordHearing, recordReviewDecision, recordRuling } from './court.ts';
import { demolitionAllowedFrom, planJointAction, recordExecution, recordForcedHandover, unlawfulTime } from './execution.ts';
import type { InstrumentKind } from './instruments.ts';
import {
  decideRemedy,
  endChain,
  fileRemedy,
  issueInstrument,
  nextStep,
  openChain,
  recordService,
  recordStatement,
  reviewStatement,
  type IssueInput,
  type OpenChainInput,
} from './procedure.ts';

const cal = HolidayCalendar.builtIn();
const landBureau: Identity = { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const district: Identity = { user: 'zhao.dg', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' };
const court: Identity = { user: 'gao.bc', agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan' };
const higherCourt: Identity = { user: 'gao.ic', agency: 'intermediate-court', jurisdiction: 'yongzhou' };
const office: Identity = { user: 'li.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const urban: Identity = { user: 'chen.um', agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan' };

/** A Beijing wall-clock instant. */
const bj = (text: string) => new Date(`${text}+08:00`);
const photo = (n = 1): EvidenceRecord[] => [{ key: `e/${n}.jpg`, sha256: 'a'.repeat(64), size: 10, contentType: 'image/jpeg', uploadedBy: landBureau, verifiedAt: '2026-01-01T00:00:00.000Z' }];
const video: EvidenceRecord[] = [{ key: 'e/v.mp4', sha256: 'b'.repeat(64), size: 10, contentType: 'video/mp4', uploadedBy: urban, verifiedAt: '2026-01-01T00:00:00.000Z' }];
const doc = { key: 'd/1.pdf', sha256: 'c'.repeat(64), size: 100 };

const base: Omit<OpenChainInput, 'basis' | 'kind'> = {
  chainId: 'C1',
  seq: 1,
  projectId: 'P1',
  householdId: 'H1',
  caseLabel: '梅湾村一组 001 号户（户主张三）',
  district: 'yongzhou/lengshuitan',
  township: 'yongzhou/lengshuitan/meiwan',
  variant: 'seed',
};
const unsigned = (variant: 'seed' | 'national' = 'seed') =>
  openChain({ ...base, variant, kind: 'vacating', basis: { kind: 'no-agreement', note: '未签订征收土地协议' } }, landBureau, bj('2026-01-05T09:00:00'));
const refused = () =>
  openChain(
    { ...base, kind: 'vacating', basis: { kind: 'refused-after-payment', agreementId: 'A1', agreementNumber: '冷征协〔2026〕001号', refusedAt: '2026-01-04T02:00:00.000Z', note: '已足额支付，拒不腾地' } },
    landBureau,
    bj('2026-01-05T09:00:00'),
  );

const TERMS: Record<InstrumentKind, InstrumentTerms> = {
  'compensation-notification': { facts: '拟作出补偿决定', compensationFen: 12_345_600, compensationText: '按实施方案标准' },
  'compensation-decision': { facts: '未在期限内签订协议', compensationFen: 12_345_600, compensationText: '按实施方案标准' },
  'vacating-notice': { facts: '拒不腾地' },
  'vacating-decision': { facts: '限期腾地', performWithin: '15d' },
  'performance-reminder': { facts: '未履行', performWithin: '10d', manner: '自行搬离并交出土地' },
  'court-application': { facts: '申请强制执行' },
  'demolition-decision': { facts: '违法建筑', performWithin: '10d' },
  'demolition-notice': { facts: '限期自行拆除', performWithin: '10d' },
};

let seq = 0;
function issue(chain: EnforcementChain, kind: InstrumentKind, at: Date, actor: Identity = landBureau, extra: Partial<IssueInput> = {}): EnforcementChain {
  const input: IssueInput = { instrumentId: `I${++seq}`, kind, number: `冷强〔2026〕${seq}号`, terms: TERMS[kind], ...extra };
  return issueInstrument(chain, input, doc, actor, at, cal);
}
function serve(chain: EnforcementChain, kind: InstrumentKind, at: Date, options: { remediesStated?: boolean; method?: 'in-person' | 'public-notice' | 'post'; now?: Date } = {}): EnforcementChain {
  const instrument = chain.instruments.filter((i) => i.round === chain.round).find((i) => i.kind === kind)!;
  return recordService(
    chain,
    instrument.instrumentId,
    { method: options.method ?? 'in-person', deliveredAt: at, servedBy: '刘一、陈二', recipient: '张三', witnesses: ['村干部李四'], remediesStated: options.remediesStated ?? true },
    photo(),
    landBureau,
    options.now ?? at,
    cal,
    // What an application is filed with (ACL art. 55); ignored for every other instrument.
    photo(55),
  );
}
const idOf = (chain: EnforcementChain, kind: InstrumentKind) => chain.instruments.filter((i) => i.round === chain.round).find((i) => i.kind === kind)!.instrumentId;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'allowed';
};

/** An unsigned household up to a served vacating decision. */
function toVacatingDecision(decisionServed: Date, remediesStated = true): EnforcementChain {
  let c = unsigned();
  c = issue(c, 'compensation-notification', bj('2025-06-02T09:00:00'));
  c = serve(c, 'compensation-notification', bj('2025-06-02T15:00:00'));
  c = issue(c, 'compensation-decision', bj('2025-06-16T09:00:00'));
  c = serve(c, 'compensation-decision', bj('2025-06-16T15:00:00'));
  c = issue(c, 'vacating-notice', bj('2025-06-17T09:00:00'));
  c = serve(c, 'vacating-notice', bj('2025-06-17T15:00:00'));
  const decisionIssued = new Date(decisionServed.getTime() - 3_600_000);
  c = issue(c, 'vacating-decision', decisionIssued);
  return serve(c, 'vacating-decision', decisionServed, { remediesStated });
}

describe('the chain opens where the law lets it start', () => {
  it('at the compensation notification for a household that never signed, at the vacating notice for one paid in full', () => {
    expect(nextStep(unsigned(), cal).instrument).toBe('compensation-notification');
    expect(nextStep(refused(), cal).instrument).toBe('vacating-notice');
    expect(code(() => issue(refused(), 'compensation-notification', bj('2026-01-06T09:00:00')))).toBe('enforcement.out-of-order');
  });
});

describe('waiting periods are refused from the record', () => {
  it('a notification served on 2026-09-28: the decision is refused at 23:59 on Oct 13 and allowed at 00:01 on Oct 14', () => {
    let c = issue(unsigned(), 'compensation-notification', bj('2026-09-28T09:00:00'));
    expect(code(() => issue(c, 'compensation-decision', bj('2026-09-28T11:00:00')))).toBe('enforcement.previous-not-served');
    c = serve(c, 'compensation-notification', bj('2026-09-28T10:00:00'));
    expect(code(() => issue(c, 'compensation-decision', bj('2026-10-13T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'compensation-decision', bj('2026-10-14T00:01:00')))).toBe('allowed');
    expect(nextStep(c, cal)).toEqual({ instrument: 'compensation-decision', allowedFrom: '2026-10-13T16:00:00.000Z' });
  });

  it('the decision deadline runs from the end of the waiting period: due at 24:00 on Oct 23, met by the decision', () => {
    let c = issue(unsigned(), 'compensation-notification', bj('2026-09-28T09:00:00'));
    c = serve(c, 'compensation-notification', bj('2026-09-28T10:00:00'));
    expect(agencyClocks(c, cal)).toEqual([{ key: 'compensation-decision/r1', ruleId: 'compensation-decision', triggeredAt: '2026-10-13T15:59:59.999Z' }]);
    c = issue(c, 'compensation-decision', bj('2026-10-20T09:00:00'));
    expect(agencyClocks(c, cal)[0]).toMatchObject({ metAt: bj('2026-10-20T09:00:00').toISOString() });
  });

  it('service by public notice takes effect after 30 days, and the periods run from then', () => {
    let c = issue(unsigned(), 'compensation-notification', bj('2026-03-02T09:00:00'));
    c = serve(c, 'compensation-notification', bj('2026-03-02T10:00:00'), { method: 'public-notice' });
    // Published Mar 2; 30 days → Apr 1 (deemed served); 7 working days: Apr 2, 3, 7, 8, 9, 10, 13 (Apr 4–6 Qingming).
    expect(c.instruments[0]!.service!.effectiveAt).toBe('2026-04-01T15:59:59.999Z');
    expect(code(() => issue(c, 'compensation-decision', bj('2026-04-13T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'compensation-decision', bj('2026-04-14T00:01:00')))).toBe('allowed');
  });

  it('the reminder waits 6 months after the vacating decision is served (rights stated)', () => {
    const c = toVacatingDecision(bj('2026-04-15T10:00:00'));
    // Six months: Oct 15, a Thursday.
    expect(code(() => issue(c, 'performance-reminder', bj('2026-10-15T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-10-16T00:01:00')))).toBe('allowed');
  });

  it('where the served decision did not state the right to sue, the reminder waits one year (法释〔2018〕1号 art. 64)', () => {
    const c = toVacatingDecision(bj('2025-09-01T10:00:00'), false);
    expect(remedyPeriodsEnd(c, c.instruments.find((i) => i.kind === 'vacating-decision'), cal)).toBe('2026-09-01T16:00:00.000Z');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-09-01T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-09-02T00:01:00')))).toBe('allowed');
  });

  it('a period ending in 2027 is refused, never guessed: there is no 2027 holiday schedule', () => {
    const c = toVacatingDecision(bj('2026-06-01T10:00:00'), false);
    expect(() => issue(c, 'performance-reminder', bj('2026-12-02T09:00:00'))).toThrow(MissingHolidayDataError);
  });

  it('the application waits 10 working days after the reminder: refused on the 9th and 10th working day, allowed once the 10th has ended', () => {
    let c = toVacatingDecision(bj('2026-03-20T10:00:00'));
    c = issue(c, 'performance-reminder', bj('2026-09-28T09:00:00'));
    c = serve(c, 'performance-reminder', bj('2026-09-28T10:00:00'));
    const apply = (at: Date) => issue(c, 'court-application', at, landBureau, { court: { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' } });
    // Working days after service: Sep 29, 30, Oct 8, 9, 10 (worked Saturday), 12, 13, 14, 15 (9th), 16 (10th).
    expect(code(() => apply(bj('2026-10-15T15:00:00')))).toBe('enforcement.waiting-period');
    expect(code(() => apply(bj('2026-10-16T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => apply(bj('2026-10-17T00:01:00')))).toBe('allowed');
  });
});

describe('who issues', () => {
  it('the seed has the land bureau decide; national law the district government (2021 Regulations arts. 31, 62)', () => {
    for (const variant of ['seed', 'national'] as const) {
      let c = issue(unsigned(variant), 'compensation-notification', bj('2026-09-28T09:00:00'));
      c = serve(c, 'compensation-notification', bj('2026-09-28T10:00:00'));
      const at = bj('2026-10-19T10:00:00');
      expect(code(() => issue(c, 'compensation-decision', at, landBureau))).toBe(variant === 'seed' ? 'allowed' : 'enforcement.not-issuer');
      expect(code(() => issue(c, 'compensation-decision', at, district))).toBe(variant === 'seed' ? 'enforcement.not-issuer' : 'allowed');
    }
  });
});

describe('reconsideration and litigation suspend the chain', () => {
  const decisionServed = bj('2026-01-05T10:00:00');
  const reconsideration = (c: EnforcementChain, filedAt: Date) =>
    fileRemedy(c, { remedyId: 'R1', kind: 'reconsideration', instrumentId: idOf(c, 'vacating-decision'), filedAt, body: '永州市人民政府' }, landBureau, filedAt);

  it('a reconsideration filed on day 59 suspends; upheld, the reminder waits for the 15 days to sue as well as the 6 months', () => {
    let c = toVacatingDecision(decisionServed);
    // Day 59 after Jan 5: Mar 5.
    c = reconsideration(c, bj('2026-03-05T10:00:00'));
    expect(c.status).toBe('suspended');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-07-07T10:00:00')))).toBe('enforcement.suspended');
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).not.toContain('court-application-deadline');
    // Decided Jun 20, served Jun 29; 15 days → Jul 14; the seed's 6 months → Jul 5 (a Sunday) → Jul 6.
    c = decideRemedy(c, 'R1', { result: 'upheld', decidedAt: bj('2026-06-20T10:00:00'), servedAt: bj('2026-06-29T10:00:00'), summary: '维持' }, photo(), landBureau, bj('2026-06-30T10:00:00'));
    expect(c.status).toBe('active');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-07-14T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-07-15T00:01:00')))).toBe('allowed');
    // The application deadline: 3 months from the end of the 15 days (Jul 14) → Oct 14.
    const deadline = agencyClocks(c, cal).find((k) => k.ruleId === 'court-application-deadline')!;
    expect(deadline).toMatchObject({ key: 'court-application-deadline/r1/s1', triggeredAt: '2026-07-14T15:59:59.999Z' });
  });

  it('a lawsuit pending for 10 months keeps the chain suspended; the judgement in force lets it continue', () => {
    let c = toVacatingDecision(decisionServed);
    const filedAt = bj('2026-02-10T10:00:00');
    c = fileRemedy(c, { remedyId: 'L1', kind: 'lawsuit', instrumentId: idOf(c, 'vacating-decision'), filedAt, body: '冷水滩区人民法院', caseNumber: '（2026）湘1103行初1号' }, landBureau, filedAt);
    // Ten months on, still pending: every next step is refused.
    expect(code(() => issue(c, 'performance-reminder', bj('2026-12-10T10:00:00')))).toBe('enforcement.suspended');
    c = decideRemedy(c, 'L1', { result: 'upheld', decidedAt: bj('2026-12-01T10:00:00'), servedAt: bj('2026-12-10T10:00:00'), summary: '驳回诉讼请求，判决已生效' }, photo(), landBureau, bj('2026-12-11T10:00:00'));
    expect(code(() => issue(c, 'performance-reminder', bj('2026-12-10T09:00:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-12-11T11:00:00')))).toBe('allowed');
  });

  it('revoked with an order to decide again: a new round starts at the notification; revoked outright: the chain ends', () => {
    let c = toVacatingDecision(decisionServed);
    c = reconsideration(c, bj('2026-02-01T10:00:00'));
    const redo = decideRemedy(c, 'R1', { result: 'revoked-redo', decidedAt: bj('2026-03-01T10:00:00'), servedAt: bj('2026-03-02T10:00:00'), summary: '撤销，责令重新作出' }, photo(), landBureau, bj('2026-03-03T10:00:00'));
    expect(redo).toMatchObject({ round: 2, status: 'active' });
    expect(nextStep(redo, cal).instrument).toBe('vacating-notice');
    expect(agencyClocks(redo, cal)).toEqual([]);
    const revoked = decideRemedy(c, 'R1', { result: 'revoked', decidedAt: bj('2026-03-01T10:00:00'), servedAt: bj('2026-03-02T10:00:00'), summary: '撤销' }, photo(), landBureau, bj('2026-03-03T10:00:00'));
    expect(revoked.ended?.reason).toBe('decision-revoked');
    expect(code(() => issue(revoked, 'performance-reminder', bj('2026-09-01T10:00:00')))).toBe('enforcement.chain-ended');
  });

  it('a running agency deadline stops while suspended and runs afresh, under a new key, from the outcome', () => {
    let c = issue(unsigned(), 'compensation-notification', bj('2026-03-02T09:00:00'));
    c = serve(c, 'compensation-notification', bj('2026-03-02T10:00:00'));
    c = issue(c, 'compensation-decision', bj('2026-03-16T09:00:00'));
    c = serve(c, 'compensation-decision', bj('2026-03-16T10:00:00'));
    c = issue(c, 'vacating-notice', bj('2026-03-17T09:00:00'));
    c = serve(c, 'vacating-notice', bj('2026-03-17T10:00:00'));
    expect(agencyClocks(c, cal).filter((k) => !k.metAt).map((k) => k.key)).toEqual(['vacating-decision/r1']);
    // A notice is not a decision: nothing to challenge.
    expect(code(() => fileRemedy(c, { remedyId: 'X', kind: 'lawsuit', instrumentId: idOf(c, 'vacating-notice'), filedAt: bj('2026-03-18T10:00:00'), body: '法院' }, landBureau, bj('2026-03-18T10:00:00')))).toBe('enforcement.not-challengeable');
    // The household sues the compensation decision: the vacating decision's deadline stops.
    c = fileRemedy(c, { remedyId: 'L1', kind: 'lawsuit', instrumentId: idOf(c, 'compensation-decision'), filedAt: bj('2026-03-20T10:00:00'), body: '冷水滩区人民法院' }, landBureau, bj('2026-03-20T10:00:00'));
    expect(agencyClocks(c, cal).filter((k) => !k.metAt)).toEqual([]);
    expect(code(() => issue(c, 'vacating-decision', bj('2026-04-20T10:00:00')))).toBe('enforcement.suspended');
    // Judgement in force, served on the household Jul 1: the deadline runs afresh from then, under a new key.
    c = decideRemedy(c, 'L1', { result: 'upheld', decidedAt: bj('2026-06-20T10:00:00'), servedAt: bj('2026-07-01T10:00:00'), summary: '驳回' }, photo(), landBureau, bj('2026-07-02T10:00:00'));
    expect(agencyClocks(c, cal).filter((k) => !k.metAt)).toEqual([{ key: 'vacating-decision/r1/s1', ruleId: 'vacating-decision', triggeredAt: bj('2026-07-01T10:00:00').toISOString() }]);
  });
});

describe('the reminder, the statement and the application', () => {
  function reminded(): EnforcementChain {
    let c = toVacatingDecision(bj('2026-03-20T10:00:00'));
    c = issue(c, 'performance-reminder', bj('2026-09-28T09:00:00'));
    return serve(c, 'performance-reminder', bj('2026-09-28T10:00:00'));
  }
  const courtRef = { agency: 'basic-court' as const, jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' };

  it('a statement must be reviewed before the application; an established one stops it', () => {
    let c = recordStatement(reminded(), { statementId: 'S1', receivedAt: bj('2026-10-09T10:00:00'), summary: '补偿偏低' }, [], landBureau, bj('2026-10-09T11:00:00'));
    const at = bj('2026-10-19T10:00:00');
    expect(code(() => issue(c, 'court-application', at, landBureau, { court: courtRef }))).toBe('enforcement.statement-unreviewed');
    const rejected = reviewStatement(c, 'S1', { established: false, reasoning: '补偿按统一标准核算' }, landBureau, at);
    expect(code(() => issue(rejected, 'court-application', at, landBureau, { court: courtRef }))).toBe('allowed');
    c = reviewStatement(c, 'S1', { established: true, reasoning: '漏算附属设施' }, landBureau, at);
    expect(code(() => issue(c, 'court-application', at, landBureau, { court: courtRef }))).toBe('enforcement.statement-established');
    expect(endChain(c, 'statement-established', '采纳', landBureau, at).status).toBe('ended');
  });

  it('is filed with the ACL art. 55 materials, or not at all', () => {
    const c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    const id = idOf(c, 'court-application');
    const input = { method: 'in-person' as const, deliveredAt: bj('2026-10-19T15:00:00'), servedBy: '刘一', witnesses: [] };
    expect(code(() => recordService(c, id, input, photo(), landBureau, bj('2026-10-19T15:00:00'), cal, []))).toBe('enforcement.materials-required');
    expect(recordService(c, id, input, photo(), landBureau, bj('2026-10-19T15:00:00'), cal, photo(55)).court).toMatchObject({ filedAt: bj('2026-10-19T15:00:00').toISOString(), materials: [expect.objectContaining({ key: 'e/55.jpg' })] });
  });

  it('is filed with the basic-level court where the land lies, or the intermediate court the seed names', () => {
    const c = reminded();
    const at = bj('2026-10-19T10:00:00');
    expect(code(() => issue(c, 'court-application', at, landBureau, { court: { ...courtRef, jurisdiction: 'yongzhou/etdz' } }))).toBe('enforcement.court-jurisdiction');
    expect(code(() => issue(c, 'court-application', at, landBureau, { court: { agency: 'intermediate-court', jurisdiction: 'yongzhou', name: '永州市中级人民法院' } }))).toBe('allowed');
  });

  it('the court accepts within 5 working days and rules within 7 — or 30 days after deciding to hear both sides; only that court records it', () => {
    let c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    c = serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    expect(agencyClocks(c, cal).find((k) => k.ruleId === 'court-acceptance')).toMatchObject({ responsible: { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan' } });
    expect(agencyClocks(c, cal).find((k) => k.ruleId === 'court-application-deadline')?.metAt).toBe(bj('2026-10-19T15:00:00').toISOString());
    expect(code(() => recordAcceptance(c, { accepted: true, at: bj('2026-10-20T10:00:00'), caseNumber: 'X' }, higherCourt, bj('2026-10-20T10:00:00')))).toBe('enforcement.not-the-court');
    c = recordAcceptance(c, { accepted: true, at: bj('2026-10-20T10:00:00'), caseNumber: '（2026）湘1103行审1号' }, court, bj('2026-10-20T10:00:00'));
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).toContain('court-ruling');
    c = recordHearing(c, { decidedAt: bj('2026-10-22T10:00:00'), reasons: '需听取被执行人意见' }, court, bj('2026-10-22T10:00:00'));
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).toEqual(expect.arrayContaining(['court-ruling-after-hearing']));
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).not.toContain('court-ruling');
    c = recordRuling(c, { enforce: true, emergency: false, at: bj('2026-11-10T10:00:00'), caseNumber: '（2026）湘1103行审1号', reasons: '准予执行' }, photo(), court, bj('2026-11-10T10:00:00'));
    expect(c.court?.ruling?.enforce).toBe(true);
  });

  it('a refusal to accept may go to the higher court within 15 days, which decides', () => {
    let c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    c = serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    c = recordAcceptance(c, { accepted: false, at: bj('2026-10-22T10:00:00'), reasons: '材料不全' }, court, bj('2026-10-22T10:00:00'));
    expect(code(() => fileCourtReview(c, { filedAt: bj('2026-11-07T10:00:00') }, landBureau, bj('2026-11-07T10:00:00'), cal))).toBe('enforcement.review-period-over');
    c = fileCourtReview(c, { filedAt: bj('2026-11-06T10:00:00') }, landBureau, bj('2026-11-06T10:00:00'), cal);
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).toContain('higher-court-review');
    c = recordReviewDecision(c, { accepted: true, at: bj('2026-11-16T10:00:00') }, higherCourt, bj('2026-11-16T10:00:00'));
    expect(agencyClocks(c, cal).map((k) => k.ruleId)).toContain('court-ruling');
  });
});

describe('joint action and execution (ACL art. 43)', () => {
  function ruled(emergency = false): EnforcementChain {
    let c = toVacatingDecision(bj('2026-03-20T10:00:00'));
    c = issue(c, 'performance-reminder', bj('2026-09-28T09:00:00'));
    c = serve(c, 'performance-reminder', bj('2026-09-28T10:00:00'));
    c = issue(c, 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: { agency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' } });
    c = serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    c = recordAcceptance(c, { accepted: true, at: bj('2026-10-20T10:00:00'), caseNumber: 'A' }, court, bj('2026-10-20T10:00:00'));
    return recordRuling(c, { enforce: true, emergency, at: bj('2026-10-27T10:00:00'), caseNumber: 'A', reasons: '准予执行' }, photo(), court, bj('2026-10-27T10:00:00'));
  }
  const participants = [{ agency: 'urban-management' as const, jurisdiction: 'yongzhou/lengshuitan', role: '现场拆除' }];
  const now = bj('2026-11-02T10:00:00');

  it('refuses a plan that cuts water, power, heating or gas, or that acts at night or on a rest day without an emergency', () => {
    const c = ruled();
    const plan = (at: Date, extra = {}) => planJointAction(c, { plannedFor: at, participants, measures: ['site-cordon', 'video-recording'], ...extra }, office, now, cal);
    expect(code(() => plan(bj('2026-11-04T09:00:00'), { measures: ['cut-power'] }))).toBe('enforcement.utilities-cut-forbidden');
    expect(code(() => plan(bj('2026-11-04T22:30:00')))).toBe('enforcement.night-or-holiday');
    expect(code(() => plan(bj('2026-11-07T09:00:00')))).toBe('enforcement.night-or-holiday');
    expect(code(() => plan(bj('2026-11-07T09:00:00'), { emergency: { reason: '房屋有倒塌危险' } }))).toBe('allowed');
    expect(code(() => plan(bj('2026-11-04T09:00:00')))).toBe('allowed');
    expect(unlawfulTime(bj('2026-10-10T09:00:00'), cal)).toBeUndefined(); // the worked Saturday
    expect(unlawfulTime(bj('2026-10-05T09:00:00'), cal)).toMatch(/节假日/);
  });

  it('execution needs the plan, lawful hours and a video; the handover closes the case', () => {
    let c = planJointAction(ruled(), { plannedFor: bj('2026-11-04T09:00:00'), participants, measures: ['site-cordon'] }, office, now, cal);
    const after = bj('2026-11-04T18:00:00');
    expect(code(() => recordExecution(c, { startedAt: bj('2026-11-04T09:00:00'), endedAt: bj('2026-11-04T12:00:00'), summary: '执行' }, photo(), urban, after, cal))).toBe('enforcement.execution-video-required');
    expect(code(() => recordExecution(c, { startedAt: bj('2026-11-04T09:00:00'), endedAt: bj('2026-11-04T23:00:00'), summary: '执行' }, video, urban, bj('2026-11-05T09:00:00'), cal))).toBe('enforcement.night-or-holiday');
    c = recordExecution(c, { startedAt: bj('2026-11-04T09:00:00'), endedAt: bj('2026-11-04T12:00:00'), summary: '执行完毕' }, video, urban, after, cal);
    c = recordForcedHandover(c, { at: bj('2026-11-04T15:00:00') }, photo(), landBureau, after);
    expect(c).toMatchObject({ status: 'ended', ended: { reason: 'executed' } });
    expect(agencyClocks(c, cal)).toEqual([]);
  });

  it('an emergency ruling puts the court on 5 working days to execute', () => {
    const c = ruled(true);
    expect(agencyClocks(c, cal).find((k) => k.ruleId === 'court-emergency-execution')).toMatchObject({ triggeredAt: bj('2026-10-27T10:00:00').toISOString() });
  });
});

describe('illegal buildings: urban management, not the court (ACL art. 44)', () => {
  function noticed(): EnforcementChain {
    let c = openChain({ ...base, kind: 'illegal-building', basis: { kind: 'illegal-building', itemId: 'house-2', determination: '冷住建违认〔2026〕3号', note: '违法建筑' } }, urban, bj('2026-01-05T09:00:00'));
    c = issue(c, 'demolition-decision', bj('2026-03-02T09:00:00'), urban);
    c = serve(c, 'demolition-decision', bj('2026-03-02T10:00:00'));
    c = issue(c, 'demolition-notice', bj('2026-03-03T09:00:00'), urban);
    return serve(c, 'demolition-notice', bj('2026-03-03T10:00:00'));
  }

  it('demolition waits until both the notice period and the remedy periods have passed unused', () => {
    const c = noticed();
    // Notice: 10 days from Mar 3 → Mar 13. Remedy periods: six months from Mar 2 → Sep 2.
    expect(demolitionAllowedFrom(c, cal)).toBe('2026-09-02T16:00:00.000Z');
    const plan = (at: Date) => planJointAction(c, { plannedFor: at, participants: [{ agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan', role: '拆除' }], measures: ['demolition'] }, office, bj('2026-09-01T09:00:00'), cal);
    expect(code(() => plan(bj('2026-09-02T10:00:00')))).toBe('enforcement.waiting-period');
    expect(code(() => plan(bj('2026-09-03T10:00:00')))).toBe('allowed');
  });

  it('is suspended by a lawsuit against the demolition decision', () => {
    let c = noticed();
    c = fileRemedy(c, { remedyId: 'L1', kind: 'lawsuit', instrumentId: idOf(c, 'demolition-decision'), filedAt: bj('2026-04-01T10:00:00'), body: '冷水滩区人民法院' }, urban, bj('2026-04-01T10:00:00'));
    expect(demolitionAllowedFrom(c, cal)).toBeUndefined();
    expect(code(() => planJointAction(c, { plannedFor: bj('2026-09-03T10:00:00'), participants: [], measures: ['demolition'] }, office, bj('2026-09-01T09:00:00'), cal))).toBe('enforcement.suspended');
  });
});

describe('what the review found', () => {
  const courtRef = { agency: 'basic-court' as const, jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' };
  function reminded(performWithin = '10d'): EnforcementChain {
    let c = toVacatingDecision(bj('2026-03-20T10:00:00'));
    c = issueInstrument(c, { instrumentId: `I${++seq}`, kind: 'performance-reminder', number: `R${seq}`, terms: { ...TERMS['performance-reminder'], performWithin } }, doc, landBureau, bj('2026-09-28T09:00:00'), cal);
    return serve(c, 'performance-reminder', bj('2026-09-28T10:00:00'));
  }

  it('a reconsideration decided early: the reminder waits for the 15 days to sue, not the seed’s 6 months (else the application would come after ACL art. 53’s 3 months)', () => {
    let c = toVacatingDecision(bj('2026-01-05T10:00:00'));
    c = fileRemedy(c, { remedyId: 'R1', kind: 'reconsideration', instrumentId: idOf(c, 'vacating-decision'), filedAt: bj('2026-01-20T10:00:00'), body: '永州市人民政府' }, landBureau, bj('2026-01-20T10:00:00'));
    // Served Friday 6 February; 15 days → Saturday 21 February, inside Spring Festival → Tuesday 24 February.
    c = decideRemedy(c, 'R1', { result: 'upheld', decidedAt: bj('2026-02-05T10:00:00'), servedAt: bj('2026-02-06T10:00:00'), summary: '维持' }, photo(), landBureau, bj('2026-02-06T11:00:00'));
    expect(code(() => issue(c, 'performance-reminder', bj('2026-02-24T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => issue(c, 'performance-reminder', bj('2026-02-25T00:01:00')))).toBe('allowed');
  });

  it('the application waits out the time the reminder gave the household, when longer than 10 working days', () => {
    const c = reminded('30d');
    const apply = (at: Date) => issue(c, 'court-application', at, landBureau, { court: courtRef });
    // 30 days from 28 September: 28 October.
    expect(code(() => apply(bj('2026-10-28T23:59:00')))).toBe('enforcement.waiting-period');
    expect(code(() => apply(bj('2026-10-29T00:01:00')))).toBe('allowed');
  });

  it('nothing is served while a remedy suspends the chain', () => {
    let c = issue(unsigned(), 'compensation-notification', bj('2026-03-02T09:00:00'));
    c = serve(c, 'compensation-notification', bj('2026-03-02T10:00:00'));
    c = issue(c, 'compensation-decision', bj('2026-03-16T09:00:00'));
    c = serve(c, 'compensation-decision', bj('2026-03-16T10:00:00'));
    // The vacating notice is issued; before it is served the household sues the decision.
    c = issue(c, 'vacating-notice', bj('2026-03-17T09:00:00'));
    c = fileRemedy(c, { remedyId: 'L', kind: 'lawsuit', instrumentId: idOf(c, 'compensation-decision'), filedAt: bj('2026-03-17T10:00:00'), body: '法院' }, landBureau, bj('2026-03-17T10:00:00'));
    expect(code(() => serve(c, 'vacating-notice', bj('2026-03-17T15:00:00')))).toBe('enforcement.suspended');
  });

  it('a statement received after the application was issued but before it was filed is recorded, and stops the filing until reviewed', () => {
    let c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    c = recordStatement(c, { statementId: 'S9', receivedAt: bj('2026-10-19T11:00:00'), summary: '补充意见' }, [], landBureau, bj('2026-10-19T11:00:00'));
    const file = () => serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    expect(code(file)).toBe('enforcement.statement-unreviewed');
    c = reviewStatement(c, 'S9', { established: false, reasoning: '不成立' }, landBureau, bj('2026-10-19T14:00:00'));
    expect(code(file)).toBe('allowed');
  });

  it('only the deciding agency reviews statements and ends the chain; the intermediate court must be the city’s', () => {
    const c = recordStatement(reminded(), { statementId: 'S1', receivedAt: bj('2026-10-09T10:00:00'), summary: 's' }, [], landBureau, bj('2026-10-09T11:00:00'));
    expect(code(() => reviewStatement(c, 'S1', { established: true, reasoning: 'r' }, urban, bj('2026-10-10T10:00:00')))).toBe('enforcement.not-deciding-agency');
    expect(code(() => endChain(c, 'vacated', 'n', urban, bj('2026-10-10T10:00:00')))).toBe('enforcement.not-deciding-agency');
    const reviewed = reviewStatement(c, 'S1', { established: false, reasoning: 'r' }, landBureau, bj('2026-10-10T10:00:00'));
    expect(code(() => issue(reviewed, 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: { agency: 'intermediate-court', jurisdiction: 'yongzhou/lengshuitan', name: 'x' } }))).toBe('enforcement.court-jurisdiction');
  });

  it('a decision revoked and remade after the court ruled: the old ruling stays with its round and executes nothing', () => {
    let c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    c = serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    c = recordAcceptance(c, { accepted: true, at: bj('2026-10-20T10:00:00'), caseNumber: 'A' }, court, bj('2026-10-20T10:00:00'));
    c = recordRuling(c, { enforce: true, emergency: false, at: bj('2026-10-27T10:00:00'), caseNumber: 'A', reasons: 'r' }, photo(), court, bj('2026-10-27T10:00:00'));
    c = fileRemedy(c, { remedyId: 'L', kind: 'lawsuit', instrumentId: idOf(c, 'vacating-decision'), filedAt: bj('2026-10-28T10:00:00'), body: '法院' }, landBureau, bj('2026-10-28T10:00:00'));
    c = decideRemedy(c, 'L', { result: 'revoked-redo', decidedAt: bj('2026-11-02T10:00:00'), servedAt: bj('2026-11-03T10:00:00'), summary: '撤销并责令重作' }, photo(), landBureau, bj('2026-11-03T11:00:00'));
    expect(c.court).toBeUndefined();
    expect(c.rounds[0]?.court?.ruling?.enforce).toBe(true);
    expect(code(() => planJointAction(c, { plannedFor: bj('2026-11-04T09:00:00'), participants: [], measures: ['site-cordon'] }, office, bj('2026-11-03T12:00:00'), cal))).toBe('enforcement.no-enforcement-ruling');
    expect(agencyClocks(c, cal)).toEqual([]);
  });

  it('the higher court review runs 15 days from the refusal’s service, and only the applicant asks', () => {
    let c = issue(reminded(), 'court-application', bj('2026-10-19T10:00:00'), landBureau, { court: courtRef });
    c = serve(c, 'court-application', bj('2026-10-19T15:00:00'));
    // Ruled 22 October, served 26 October: the 15 days end on 10 November.
    c = recordAcceptance(c, { accepted: false, at: bj('2026-10-22T10:00:00'), servedAt: bj('2026-10-26T10:00:00'), reasons: '材料不全' }, court, bj('2026-10-26T10:00:00'));
    expect(code(() => fileCourtReview(c, { filedAt: bj('2026-11-10T10:00:00') }, district, bj('2026-11-10T10:00:00'), cal))).toBe('enforcement.not-deciding-agency');
    expect(code(() => fileCourtReview(c, { filedAt: bj('2026-11-10T10:00:00') }, landBureau, bj('2026-11-10T10:00:00'), cal))).toBe('allowed');
    expect(code(() => fileCourtReview(c, { filedAt: bj('2026-11-11T00:01:00') }, landBureau, bj('2026-11-11T00:01:00'), cal))).toBe('enforcement.review-period-over');
  });
});
