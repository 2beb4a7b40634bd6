import { describe, expect, it } from 'vitest';
import { ACTORS, confirmedHousehold, evidence, ITEMS, NOTICE_PUBLISHED_AT, STANDARD, STANDARD_LOCKED_AT } from '../../../test/support/households.ts';
import { attachDocument, checkAgreementAllowed, draftAgreement, liveAgreement, PAYMENT_TERMS, signAgreement, supplementAgreement, type Agreement, type AgreementDraftInput, type Signing } from './agreement.ts';
import { computeCompensation } from './compensation.ts';
import type { Compensation, Household } from './household.ts';
import { confirmSurvey, determineLegality, raiseDispute, recordCheck, replaceSurvey, resolveDispute } from './survey.ts';

const now = new Date('2026-09-25T02:00:00.000Z');
const later = new Date('2026-09-26T02:00:00.000Z');
const SHA = 'b'.repeat(64);
const compute = (household: Household, resettledMemberIds = ['m1', 'm2']) =>
  computeCompensation({ household, noticePublishedAt: NOTICE_PUBLISHED_AT, resettledMemberIds, standard: STANDARD, standardLockedAt: STANDARD_LOCKED_AT, now });
const HOUSEHOLD = confirmedHousehold();
const COMPENSATION = compute(HOUSEHOLD); // totalFen 30,883,079 (compensation.test.ts works it by hand)
const input = (over: Partial<AgreementDraftInput> = {}): AgreementDraftInput => ({
  agreementId: 'A1',
  number: '冷征协〔2026〕001号',
  household: HOUSEHOLD,
  compensation: COMPENSATION,
  standard: STANDARD,
  mode: { kind: 'cash', optionId: 'money' },
  existing: [],
  actor: ACTORS.landBranch,
  now,
  ...over,
});
const signing = (over: Partial<Signing> = {}): Signing => ({ documentSha256: SHA, place: '梅湾街道办事处', evidence: evidence('signed-agreement.jpg', ACTORS.landBranch), signedAt: later, ...over });
const readyToSign = (over: Partial<AgreementDraftInput> = {}) => attachDocument(draftAgreement(input(over)).agreement, SHA);
const signedOriginal = () => {
  const draft = readyToSign();
  return signAgreement(draft, HOUSEHOLD, [draft], signing(), ACTORS.landBranch, later);
};
const refused = (code: string, category = 'rule', text?: string) => expect.objectContaining({ code, category, ...(text ? { message: expect.stringContaining(text) } : {}) });

describe('when an agreement may be made', () => {
  it('allows a confirmed, undisputed household with determined houses, checks done, a final current computation', () => {
    expect(() => checkAgreementAllowed(HOUSEHOLD, COMPENSATION)).not.toThrow();
  });

  it('refuses a computation of another household', () => {
    expect(() => checkAgreementAllowed(HOUSEHOLD, { ...COMPENSATION, householdId: 'H2' })).toThrow(refused('agreement.compensation-other-household', 'validation'));
  });

  it('refuses a survey not confirmed, or none', () => {
    const draft = confirmedHousehold({ survey: { ...HOUSEHOLD.survey!, status: 'draft' } });
    expect(() => checkAgreementAllowed(draft, COMPENSATION)).toThrow(refused('agreement.survey-not-confirmed', 'rule', '签字确认'));
    expect(() => checkAgreementAllowed(confirmedHousehold({ survey: undefined }), COMPENSATION)).toThrow(refused('agreement.survey-not-confirmed'));
  });

  it('refuses while a dispute is open', () => {
    const disputed = raiseDispute(HOUSEHOLD, { disputeId: 'D1', grounds: '面积有误' }, ACTORS.landBranch, now);
    expect(() => checkAgreementAllowed(disputed, COMPENSATION)).toThrow(refused('agreement.dispute-open'));
  });

  it('refuses while a house’s legality is pending', () => {
    const pending = confirmedHousehold({ survey: { ...HOUSEHOLD.survey!, houses: [...ITEMS.houses, { itemId: 'h4', structure: '砖混', floorAreaSquareMetres: '10', storeys: 1, legality: 'pending' }] } });
    expect(() => checkAgreementAllowed(pending, compute(pending))).toThrow(refused('agreement.legality-pending', 'rule', '房屋“h4”'));
  });

  it('refuses when a member was never checked', () => {
    const unchecked = confirmedHousehold({ checks: HOUSEHOLD.checks.filter((c) => c.kind !== 'military') });
    expect(() => checkAgreementAllowed(unchecked, COMPENSATION)).toThrow(refused('agreement.checks-missing', 'rule', '“m3”'));
  });

  it('refuses while a check is pending', () => {
    const pending = confirmedHousehold({ checks: HOUSEHOLD.checks.map((c) => (c.memberId === 'm2' && c.kind === 'hukou' ? { kind: c.kind, memberId: c.memberId, agency: c.agency, status: 'pending' as const } : c)) });
    expect(() => checkAgreementAllowed(pending, COMPENSATION)).toThrow(refused('agreement.checks-pending', 'rule', '“m2”'));
  });

  it('a failed hukou check: refused while that member is among the resettled, allowed once left off', () => {
    const reopened = confirmedHousehold({ checks: HOUSEHOLD.checks.map((c) => (c.memberId === 'm2' && c.kind === 'hukou' ? { kind: c.kind, memberId: c.memberId, agency: c.agency, status: 'pending' as const } : c)) });
    const failed = recordCheck(reopened, { kind: 'hukou', memberId: 'm2' }, { passed: false, note: '户籍已于2025年迁出' }, ACTORS.police, now);
    expect(() => checkAgreementAllowed(failed, compute(failed))).toThrow(refused('agreement.resettled-not-verified', 'rule', '“m2”'));
    expect(() => checkAgreementAllowed(failed, compute(failed, ['m1']))).not.toThrow();
  });

  it('refuses a computation from an older survey revision', () => {
    expect(() => checkAgreementAllowed(HOUSEHOLD, { ...COMPENSATION, surveyRevision: 2 })).toThrow(refused('agreement.compensation-stale', 'rule', '第2版'));
  });

  it('refuses a computation that is not final', () => {
    const notFinal: Compensation = { ...COMPENSATION, final: false, blockers: ['房屋“h9”的合法性尚待认定'] };
    expect(() => checkAgreementAllowed(HOUSEHOLD, notFinal)).toThrow(refused('agreement.compensation-not-final', 'rule', '房屋“h9”'));
  });
});

describe('drafting an agreement', () => {
  it('for cash: the computation’s lines, its total, payment within 3 months', () => {
    const { agreement, superseded } = draftAgreement(input());
    expect(agreement).toMatchObject({
      agreementId: 'A1',
      householdId: 'H1',
      projectId: 'P1',
      kind: 'original',
      mode: { kind: 'cash', optionId: 'money' },
      lines: COMPENSATION.lines,
      totalFen: 30_883_079,
      paymentTerms: PAYMENT_TERMS,
      surveyRevision: 3,
      standardLockedAt: STANDARD_LOCKED_AT,
      status: 'drafted',
      draftedBy: ACTORS.landBranch,
      draftedAt: now.toISOString(),
    });
    expect(agreement.swap).toBeUndefined();
    expect(superseded).toEqual([]);
  });

  it('a swap where the household receives the difference: 50 m² × 2,600.00 元 = 130,000.00 元 against the house compensation 136,561.21 元', () => {
    const { agreement } = draftAgreement(input({ mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '50' } }));
    expect(agreement.lines.at(-1)).toEqual({
      kind: 'swap-house-price',
      itemId: 'swap-a',
      description: '产权调换安置房：产权调换：滨江安置小区，50平方米',
      quantity: '50',
      unit: '平方米',
      rateFen: 260_000,
      amountFen: -13_000_000,
      clause: '补偿标准·安置方式“swap-a”',
      payee: 'owner',
    });
    expect(agreement.totalFen).toBe(17_883_079);
    expect(agreement.swap).toEqual({
      compensationFen: 13_656_121,
      housePriceFen: 13_000_000,
      differenceFen: 656_121,
      direction: 'household-receives',
      explanation: '房屋补偿136,561.21元，安置房50平方米×2,600.00元/平方米=130,000.00元，差价6,561.21元由征收方支付给被征收户',
    });
    expect(agreement.paymentTerms).toBe(PAYMENT_TERMS);
  });

  it('a swap where the household pays the difference: 125.50 m² × 2,600.00 元 = 326,300.00 元', () => {
    const { agreement } = draftAgreement(input({ mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '125.50' } }));
    expect(agreement.lines.at(-1)).toMatchObject({ quantity: '125.5', amountFen: -32_630_000 });
    expect(agreement.totalFen).toBe(-1_746_921);
    expect(agreement.swap).toMatchObject({ differenceFen: -18_973_879, direction: 'household-pays', explanation: expect.stringContaining('差价189,738.79元由被征收户补交') });
    expect(agreement.paymentTerms).toContain('被征收户应补交产权调换差价189,738.79元');
    // The household's debt is netted only against what the owner is owed; the collective, the
    // resettled persons and the fund are owed exactly what the cash agreement gives them.
    const cash = draftAgreement(input()).agreement;
    const owed = (a: typeof agreement, payee: string) => a.amountsByPayee.find((p) => p.payee === payee)?.amountFen;
    for (const payee of ['collective', 'resettled-person', 'social-security-fund']) expect(owed(agreement, payee)).toBe(owed(cash, payee));
    expect(owed(agreement, 'owner')).toBe(owed(cash, 'owner')! - 32_630_000);
    expect(agreement.amountsByPayee.reduce((sum, p) => sum + p.amountFen, 0)).toBe(agreement.totalFen);
  });

  it('a swap that comes out even, and a house price rounded half up once', () => {
    const standard = { ...STANDARD, resettlementOptions: [{ id: 'swap-b', description: '乙区', kind: 'swap' as const, fenPerSquareMetre: 100 }, { id: 'swap-c', description: '丙区', kind: 'swap' as const, fenPerSquareMetre: 5 }] };
    const even = draftAgreement(input({ standard, mode: { kind: 'swap', optionId: 'swap-b', houseAreaSquareMetres: '136561.21' } })).agreement;
    expect(even.totalFen).toBe(17_226_958);
    expect(even.swap).toMatchObject({ direction: 'even', differenceFen: 0, explanation: expect.stringContaining('互不找补') });
    // 0.1 m² × 5 fen = 0.5 fen → 1 fen
    const half = draftAgreement(input({ standard, mode: { kind: 'swap', optionId: 'swap-c', houseAreaSquareMetres: '0.1' } })).agreement;
    expect(half.lines.at(-1)!.amountFen).toBe(-1);
    expect(half.totalFen).toBe(30_883_078);
  });

  it('refuses an option not in the standard, one of the other kind, a zero or inexact area', () => {
    expect(() => draftAgreement(input({ mode: { kind: 'cash', optionId: 'gold' } }))).toThrow(refused('agreement.unknown-option', 'validation', '“gold”'));
    expect(() => draftAgreement(input({ mode: { kind: 'cash', optionId: 'swap-a' } }))).toThrow(refused('agreement.option-mode-mismatch', 'validation', '产权调换'));
    expect(() => draftAgreement(input({ mode: { kind: 'swap', optionId: 'money', houseAreaSquareMetres: '90' } }))).toThrow(refused('agreement.option-mode-mismatch', 'validation', '货币补偿'));
    expect(() => draftAgreement(input({ mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '0.0000' } }))).toThrow(refused('agreement.swap-area-required', 'validation'));
    expect(() => draftAgreement(input({ mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '90.12345' } }))).toThrow(refused('quantity.too-precise', 'validation', '安置房面积'));
  });

  it('refuses what checkAgreementAllowed refuses', () => {
    expect(() => draftAgreement(input({ compensation: { ...COMPENSATION, surveyRevision: 1 } }))).toThrow(refused('agreement.compensation-stale'));
  });

  it('a newer draft supersedes the older one; a reused id is refused', () => {
    const first = draftAgreement(input()).agreement;
    const { agreement, superseded } = draftAgreement(input({ agreementId: 'A2', existing: [first], mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '100' } }));
    expect(agreement.status).toBe('drafted');
    expect(superseded).toEqual([{ ...first, status: 'superseded', supersededBy: 'A2' }]);
    expect(() => draftAgreement(input({ existing: [first] }))).toThrow(refused('agreement.duplicate', 'conflict'));
  });

  it('refuses an original once one is signed: a change needs a supplementary agreement', () => {
    const { agreement } = signedOriginal();
    expect(() => draftAgreement(input({ agreementId: 'A2', existing: [agreement] }))).toThrow(refused('agreement.already-signed', 'rule', '补充协议'));
  });
});

describe('signing', () => {
  it('signs with who, when, where and the evidence, and the household is signed', () => {
    const { agreement, superseded, household } = signedOriginal();
    expect(agreement).toMatchObject({ status: 'signed', documentSha256: SHA, signed: { by: ACTORS.landBranch, at: later.toISOString(), place: '梅湾街道办事处', evidence: { key: 'signed-agreement.jpg' } } });
    expect(superseded).toEqual([]);
    expect(household).toMatchObject({ agreementInForce: 'A1', state: 'signed' });
    expect(liveAgreement([agreement])).toBe(agreement);
  });

  it('refuses a signer other than the land bureau', () => {
    const draft = readyToSign();
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing(), ACTORS.district, later)).toThrow(refused('agreement.signer', 'forbidden'));
  });

  it('refuses without a rendered document, or a different one', () => {
    const bare = draftAgreement(input()).agreement;
    expect(() => signAgreement(bare, HOUSEHOLD, [bare], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.document-missing'));
    const draft = readyToSign();
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing({ documentSha256: 'c'.repeat(64) }), ACTORS.landBranch, later)).toThrow(refused('agreement.document-mismatch', 'rule', 'SHA-256'));
  });

  it('refuses without the signed scan, or without a place', () => {
    const draft = readyToSign();
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing({ evidence: undefined }), ACTORS.landBranch, later)).toThrow(refused('agreement.signature-evidence-required'));
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing({ place: ' ' }), ACTORS.landBranch, later)).toThrow(refused('agreement.place-required', 'validation'));
    // Signed in the village before it was drafted, or in the future: refused.
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing({ signedAt: new Date(Date.parse(draft.draftedAt) - 1) }), ACTORS.landBranch, later)).toThrow(refused('agreement.signed-at', 'validation'));
    expect(() => signAgreement(draft, HOUSEHOLD, [draft], signing({ signedAt: new Date(later.getTime() + 1) }), ACTORS.landBranch, later)).toThrow(refused('agreement.signed-at', 'validation'));
  });

  it('refuses when the household changed since the draft: a dispute, a new survey revision', () => {
    const draft = readyToSign();
    const disputed = raiseDispute(HOUSEHOLD, { disputeId: 'D1', grounds: '围墙长度有误' }, ACTORS.landBranch, now);
    expect(() => signAgreement(draft, disputed, [draft], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.dispute-open'));
    const revised = confirmedHousehold({ survey: { ...HOUSEHOLD.survey!, revision: 4 } });
    expect(() => signAgreement(draft, revised, [draft], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.compensation-stale'));
  });

  it('refuses a second original while one is live', () => {
    const stale = readyToSign({ agreementId: 'A0' });
    const { agreement } = signedOriginal();
    expect(() => signAgreement(stale, HOUSEHOLD, [stale, agreement], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.already-signed', 'rule', '两份有效协议'));
  });

  it('once signed, nothing changes: no new document, no second signing', () => {
    const { agreement } = signedOriginal();
    expect(() => attachDocument(agreement, 'd'.repeat(64))).toThrow(refused('agreement.immutable', 'conflict', '补充协议'));
    expect(() => signAgreement(agreement, HOUSEHOLD, [agreement], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.immutable', 'conflict'));
  });

  it('refuses a malformed document hash, and a superseded draft', () => {
    const draft = draftAgreement(input()).agreement;
    expect(() => attachDocument(draft, 'XYZ')).toThrow(refused('agreement.document-hash-invalid', 'validation'));
    const [old] = draftAgreement(input({ agreementId: 'A2', existing: [draft] })).superseded;
    expect(() => attachDocument(old!, SHA)).toThrow(refused('agreement.superseded', 'conflict'));
  });

  it('sees two live agreements as a broken invariant', () => {
    const { agreement } = signedOriginal();
    expect(() => liveAgreement([agreement, { ...agreement, agreementId: 'A9', number: '冷征协〔2026〕009号' }])).toThrow(refused('agreement.two-live', 'conflict'));
  });
});

describe('a supplementary agreement after a re-survey', () => {
  // The original is signed; a dispute is resolved by re-survey; the new survey adds a shed.
  const afterResurvey = (): { original: Agreement; household: Household; compensation: Compensation } => {
    const { agreement: original, household: signed } = signedOriginal();
    const disputed = raiseDispute(signed, { disputeId: 'D1', grounds: '漏登杂房一间' }, ACTORS.landBranch, now);
    const reopened = resolveDispute(disputed, 'D1', { outcome: 'resurveyed', reasons: '核实漏登，重新调查' }, ACTORS.landBranch, now);
    const houses = [...ITEMS.houses, { itemId: 'h5', structure: '砖木', floorAreaSquareMetres: '10', storeys: 1, legality: 'legal' as const }].map(({ legality: _l, determination: _d, ...h }) => h);
    const resurveyed = replaceSurvey(reopened, { ...ITEMS, houses }, [], ACTORS.landBranch, now);
    // h5 is new, so pending: the housing bureau decides it before the computation can be final.
    const withH5 = determineLegality(resurveyed, 'h5', { legality: 'legal', reference: '冷住建认〔2026〕20号' }, ACTORS.housing, now);
    const household = confirmSurvey(withH5, evidence('signed-resurvey.jpg'), ACTORS.landBranch, now);
    return { original, household, compensation: compute(household) };
  };

  it('supplements the live agreement with its reason, and on signing supersedes it', () => {
    const { original, household, compensation } = afterResurvey();
    expect(household.survey!.revision).toBe(6);
    const { agreement: supplement } = supplementAgreement(original, '重新调查补登杂房', input({ agreementId: 'A2', number: '冷征协补〔2026〕001号', household, compensation, existing: [original] }));
    expect(supplement).toMatchObject({ kind: 'supplementary', supplements: 'A1', reason: '重新调查补登杂房', surveyRevision: 6, totalFen: 30_883_079 + 760_010 }); // 10 m² × 760.01 元
    const ready = attachDocument(supplement, SHA);
    const signed = signAgreement(ready, household, [original, ready], signing(), ACTORS.landBranch, later);
    expect(signed.agreement.status).toBe('signed');
    expect(signed.superseded).toEqual([{ ...original, status: 'superseded', supersededBy: 'A2' }]);
    expect(signed.household).toMatchObject({ agreementInForce: 'A2', state: 'signed' });
    expect(liveAgreement([...signed.superseded, signed.agreement])?.agreementId).toBe('A2');
  });

  it('refuses without a reason, for another household, for a draft or a superseded agreement', () => {
    const { original, household, compensation } = afterResurvey();
    const base = input({ agreementId: 'A2', household, compensation, existing: [original] });
    expect(() => supplementAgreement(original, ' ', base)).toThrow(refused('agreement.reason-required', 'validation'));
    expect(() => supplementAgreement({ ...original, householdId: 'H2' }, '理由', base)).toThrow(refused('agreement.other-household', 'validation'));
    const draft = draftAgreement(input()).agreement;
    expect(() => supplementAgreement(draft, '理由', input({ agreementId: 'A2', existing: [draft] }))).toThrow(refused('agreement.supplement-not-live', 'rule', '尚未签订'));
    const superseded = { ...original, status: 'superseded' as const };
    expect(() => supplementAgreement(superseded, '理由', { ...base, existing: [superseded] })).toThrow(refused('agreement.supplement-not-live', 'rule', '已被取代'));
  });

  it('refuses to sign a supplement whose original is no longer the live one', () => {
    const { original, household, compensation } = afterResurvey();
    const first = attachDocument(supplementAgreement(original, '补登杂房', input({ agreementId: 'A2', household, compensation, existing: [original] })).agreement, SHA);
    const second = attachDocument(supplementAgreement(original, '补登杂房（另稿）', input({ agreementId: 'A3', household, compensation, existing: [original, first] })).agreement, SHA);
    const signedFirst = signAgreement(first, household, [original, first], signing(), ACTORS.landBranch, later);
    expect(() => signAgreement(second, household, [...signedFirst.superseded, signedFirst.agreement], signing(), ACTORS.landBranch, later)).toThrow(refused('agreement.supplement-stale'));
  });
});
