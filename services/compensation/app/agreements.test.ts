import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fundsShortV1 } from '../../../events/funds-short.v1.ts';
import { agreementSignedV1 } from '../../../events/agreement-signed.v1.ts';
import { formatYuan } from '../../../shared/money.ts';
import { ctxOf } from '../../../test/support/fakes.ts';
import { compensationWorld, expectRefused, on, readyForAgreement, uploaded, WHO, type World } from '../../../test/support/compensation.ts';
import { draftHouseholdAgreement, listHouseholdAgreements, signHouseholdAgreement, type AgreementDraftRequest } from './agreements.ts';
import { payoutFen, type Agreement } from '../domain/agreement.ts';

const dir = mkdtempSync(join(tmpdir(), 'agreements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let world: World;
let householdId: string;
beforeEach(async () => {
  world = await compensationWorld();
  householdId = (await readyForAgreement(world)).household.householdId;
});

const CASH: AgreementDraftRequest = { mode: { kind: 'cash', optionId: 'money' } };
const swapOf = (houseAreaSquareMetres: string): AgreementDraftRequest => ({ mode: { kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres } });

const draft = (input: AgreementDraftRequest = CASH, when = on(25, 11)) => draftHouseholdAgreement(world.deps, householdId, input, ctxOf(WHO.landBranch, when));

/** The branch signs with the household: the signed scan uploaded, then the agreement signed against its document's SHA-256. */
async function sign(agreement: Agreement, when = on(26)) {
  const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, when);
  return signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '梅湾村村委会', documentSha256: agreement.documentSha256! }, ctxOf(WHO.landBranch, when));
}

/** The PDF's text as a reader sees it (poppler's pdftotext). */
function pdfText(bytes: Buffer): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const agreementsNow = () => listHouseholdAgreements(world.deps, householdId, ctxOf(WHO.landBranch, on(27)));

describe('agreements', () => {
  it('is drafted with its PDF stored in the bucket, showing the head of household and the total in yuan', async () => {
    const { agreement, document } = await draft();
    expect(agreement).toMatchObject({ kind: 'original', status: 'drafted', documentSha256: document.sha256 });
    const bytes = world.bucket.bytes(document.key)!;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain('张三');
    expect(text).toContain(`${formatYuan(agreement.totalFen)} 元`);
    expect(text).not.toMatch(/\d{17}[\dX]/);
  });

  it('signed with the scan, becomes immutable, starts the 3-month payment clock, counts the household settled and tells finance', async () => {
    const { agreement } = await draft();
    const { agreement: signed, payment } = await sign(agreement);
    expect(signed).toMatchObject({ status: 'signed', signed: { by: WHO.landBranch, place: '梅湾村村委会' } });
    // Signed on Saturday 26 September 2026: 3 months end on Saturday 26 December, a rest day, so Monday 28 December.
    expect(payment).toMatchObject({ ruleId: 'compensation-payment', caseId: householdId, lastDay: '2026-12-28', dueAt: '2026-12-28T16:00:00.000Z', status: 'open' });
    expect(await world.deps.watches.find(householdId, 'compensation-payment')).toMatchObject({ watch: payment });
    expect(world.scheduler.started).toEqual([{ caseId: householdId, phase: 'payment', watches: [payment], now: new Date(on(26)) }]);
    expect(await world.deps.counters.read(world.project.id, 'households-signed')).toBe(1);
    const inbox = (await world.deps.inbox.page('finance', { limit: 10 })).items;
    const told = inbox.filter((e) => e.kind === 'agreement-signed');
    expect(told).toHaveLength(1);
    // Nothing was deposited: what the agreement pays out is counted and the shortfall told at once.
    expect(await world.deps.counters.read(world.project.id, 'agreements-payout-fen')).toBe(payoutFen(signed));
    expect(inbox.filter((e) => e.kind === 'funds-short').map((e) => e.data)).toEqual([{ payoutsFen: payoutFen(signed), depositsFen: 0, shortfallFen: payoutFen(signed), agreementId: agreement.agreementId }]);
    const shortOfFunds = (await world.deps.inbox.page('investment-group', { limit: 10 })).items;
    expect(shortOfFunds.map((e) => fundsShortV1.schema.parse(e).kind)).toEqual(['funds-short']);
    expect(agreementSignedV1.schema.parse(told[0])).toMatchObject({ data: { householdId, agreementId: agreement.agreementId, totalFen: agreement.totalFen, payment: { lastDay: '2026-12-28' } } });

    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(27));
    await expectRefused(world, () => signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '村委会', documentSha256: agreement.documentSha256! }, ctxOf(WHO.landBranch, on(27))), {
      status: 409,
      code: 'agreement.immutable',
    });
    await expectRefused(world, () => draft(CASH, on(27)), { status: 422, code: 'agreement.already-signed' });
  });

  it('refuses a signature against another document than the one generated, and writes nothing', async () => {
    const { agreement } = await draft();
    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(26));
    await expectRefused(world, () => signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '村委会', documentSha256: 'f'.repeat(64) }, ctxOf(WHO.landBranch, on(26))), {
      status: 422,
      code: 'agreement.document-mismatch',
    });
  });

  it('tells nobody of a shortfall when the confirmed deposits cover what the signed agreements pay out', async () => {
    const { agreement } = await draft();
    await world.deps.uow.commit([world.deps.counters.increment(world.project.id, 'deposits-confirmed-fen', payoutFen(agreement))], []);
    await sign(agreement);
    expect((await world.deps.inbox.page('investment-group', { limit: 10 })).items).toEqual([]);
  });

  it('runs the payment clock from when it was signed in the village, not from when the scan was entered', async () => {
    const { agreement } = await draft();
    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(30));
    const sign = (signedAt: string) =>
      signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '梅湾村村委会', documentSha256: agreement.documentSha256!, signedAt }, ctxOf(WHO.landBranch, on(30)));
    await expectRefused(world, () => sign(on(25, 10)), { status: 400, code: 'time.too-early' });
    await expectRefused(world, () => sign(on(30, 11)), { status: 400, code: 'time.in-future' });
    // Signed on Saturday 26 September, entered on the 30th: the last day is still 28 December.
    const { agreement: signed, payment } = await sign(on(26, 15));
    expect(signed.signed?.at).toBe(new Date(on(26, 15)).toISOString());
    expect(payment).toMatchObject({ triggeredAt: new Date(on(26, 15)).toISOString(), lastDay: '2026-12-28' });
  });

  it('supplemented, the supplement supersedes the original on signing; never two live agreements', async () => {
    const { agreement: original } = await draft();
    await sign(original);
    const reason = '被征收户改选产权调换';
    await expectRefused(world, () => draft({ ...swapOf('50'), supplements: original.agreementId, reason: ' ' }, on(27)), { status: 400, code: 'agreement.reason-required' });

    const { agreement: first } = await draft({ ...swapOf('50'), supplements: original.agreementId, reason }, on(27));
    const { agreement: second } = await draft({ ...swapOf('55'), supplements: original.agreementId, reason }, on(27, 11));
    // A newer draft supersedes the older one: only the newest can be signed.
    await expectRefused(world, () => signHouseholdAgreement(world.deps, householdId, first.agreementId, { uploadId: 'none', place: 'x', documentSha256: first.documentSha256! }, ctxOf(WHO.landBranch, on(27, 12))), {
      status: 404,
      code: 'upload.not-found',
    });
    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(27, 12));
    await expectRefused(world, () => signHouseholdAgreement(world.deps, householdId, first.agreementId, { uploadId: scan.uploadId, place: '村委会', documentSha256: first.documentSha256! }, ctxOf(WHO.landBranch, on(27, 12))), {
      status: 409,
      code: 'agreement.superseded',
    });

    const { agreement: supplement, payment } = await sign(second, on(28));
    expect(supplement).toMatchObject({ kind: 'supplementary', status: 'signed', supplements: original.agreementId, reason });
    const all = await agreementsNow();
    expect(all.filter((a) => a.status === 'signed').map((a) => a.agreementId)).toEqual([second.agreementId]);
    expect(all.find((a) => a.agreementId === original.agreementId)).toMatchObject({ status: 'superseded', supersededBy: second.agreementId });
    expect(all.find((a) => a.agreementId === first.agreementId)).toMatchObject({ status: 'superseded', supersededBy: second.agreementId });
    expect((await world.deps.households.get(householdId)).agreementInForce).toBe(second.agreementId);
    // The clock keeps running from the first signing; the household is counted settled once.
    expect(payment.lastDay).toBe('2026-12-28');
    expect(world.scheduler.started).toHaveLength(1);
    expect(await world.deps.counters.read(world.project.id, 'households-signed')).toBe(1);
    // A supplement to the superseded original is refused.
    await expectRefused(world, () => draft({ ...CASH, supplements: original.agreementId, reason }, on(29)), { status: 422, code: 'agreement.supplement-not-live' });
  });

  it('settles a property swap in either direction against the houses’ compensation', async () => {
    const houses = 12_098_100 + 1_558_021;
    const { agreement: receives } = await draft(swapOf('50'));
    expect(receives.swap).toMatchObject({ compensationFen: houses, housePriceFen: 13_000_000, differenceFen: houses - 13_000_000, direction: 'household-receives' });
    expect(receives.lines.at(-1)).toMatchObject({ kind: 'swap-house-price', quantity: '50', rateFen: 260_000, amountFen: -13_000_000 });

    const { agreement: pays, document } = await draft(swapOf('60'), on(25, 12));
    expect(pays.swap).toMatchObject({ housePriceFen: 15_600_000, differenceFen: houses - 15_600_000, direction: 'household-pays' });
    expect(pays.paymentTerms).toContain(`补交产权调换差价${formatYuan(15_600_000 - houses)}元`);
    expect(pdfText(world.bucket.bytes(document.key)!).replace(/\s+/g, '')).toContain(formatYuan(15_600_000 - houses));
    expect(pays.totalFen).toBe(pays.lines.reduce((sum, l) => sum + l.amountFen, 0));
  });
});
