import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatYuan } from '../../../../shared/money.ts';
import { renderAgreementPdf, renderDisclosurePdf } from './pdf.ts';
import { sampleAgreement, sampleDisclosure, type SampleMember } from './samples.ts';

// The PDFs are checked with poppler (pdftotext, pdffonts, pdftoppm), as a reader would see them.
const dir = mkdtempSync(join(tmpdir(), 'documents-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

let files = 0;
function save(pdf: Uint8Array): string {
  const file = join(dir, `document-${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
/** The text of each page (pdftotext ends every page with a form feed). */
const pagesOf = (file: string) => poppler('pdftotext', '-layout', file, '-').split('\f').slice(0, -1);
const textOf = (file: string) => pagesOf(file).join('\n');

function expectNoClearIdNumbers(text: string, members: SampleMember[]) {
  for (const member of members) {
    expect(text).toContain(member.idNumberMasked);
    expect(text).not.toContain(member.clearIdNumber);
  }
}

describe('agreement PDF', () => {
  it('prints the household, its members with masked ID numbers, every line and the total in yuan', async () => {
    const { doc, members } = sampleAgreement('cash');
    const text = textOf(save(await renderAgreementPdf(doc)));

    expect(text).toContain('征收土地补偿安置协议');
    expect(text).not.toContain('补充协议');
    expect(text).toContain(doc.agreementNumber);
    expect(text).toContain(doc.householdNumber);
    expect(text).toContain(doc.parties.landBureauBranch);
    expect(text).toContain('货币补偿');
    for (const member of members) expect(text).toContain(member.name);
    expectNoClearIdNumbers(text, members);
    for (const line of doc.lines) {
      expect(text).toContain(line.description);
      expect(text).toContain(formatYuan(line.amountFen));
      expect(text).toContain(formatYuan(line.rateFen));
    }
    expect(text).toContain(`补偿款合计人民币 ${formatYuan(doc.totalFen)} 元`);
  });

  it('prints the payment deadline and the generation time in Beijing time', async () => {
    const { doc } = sampleAgreement('cash');
    const text = textOf(save(await renderAgreementPdf({ ...doc, generatedAt: '2026-06-30T17:30:00Z' })));
    expect(text).toContain('自协议签订之日起3个月内足额支付，最迟于2026年9月30日（北京时间）前付清');
    // 17:30 UTC is 01:30 the next day in Beijing.
    expect(text).toContain('2026-07-01 01:30:00（北京时间）');
  });

  it.each([
    ['swap-receives', '甲方应向乙方支付差价人民币', '乙方领取'],
    ['swap-pays', '乙方应向甲方补交差价人民币', '乙方补交'],
  ] as const)('a swap (%s) prints the house, its price and who pays the difference', async (mode, sentence, who) => {
    const { doc } = sampleAgreement(mode);
    if (doc.mode.mode !== 'swap') throw new Error('sample is a swap');
    const text = textOf(save(await renderAgreementPdf(doc)));
    expect(text).toContain('产权调换');
    expect(text).toContain(doc.mode.resettlementOption);
    expect(text).toContain(`安置房面积 ${doc.mode.houseAreaSquareMetres} 平方米`);
    expect(text).toContain(formatYuan(doc.mode.housePriceFen));
    expect(text).toContain(`${sentence} ${formatYuan(doc.mode.difference.amountFen)} 元（${who}）`);
    expect(text).not.toContain('补偿款合计人民币');
  });

  it('a supplementary agreement is titled as one and names the original agreement and the reason', async () => {
    const { doc } = sampleAgreement('cash');
    const text = textOf(save(await renderAgreementPdf({
      ...doc,
      agreementNumber: 'YZ-LX-2026-0042-B1',
      kind: { kind: 'supplementary', originalAgreementNumber: 'YZ-LX-2026-0042', reason: '复核后补测砖砌围墙12.00米' },
    })));
    expect(text).toContain('征收土地补偿安置补充协议');
    expect(text).toContain('原协议编号：YZ-LX-2026-0042');
    expect(text).toContain('补充原因：复核后补测砖砌围墙12.00米');
  });

  it('embeds the Chinese font as a subset and renders to an image', async () => {
    const file = save(await renderAgreementPdf(sampleAgreement('cash').doc));
    const fonts = poppler('pdffonts', file).split('\n').slice(2).filter((row) => row.trim() !== '');
    expect(fonts).toHaveLength(1);
    // name, type, encoding, emb, sub, uni
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const png = join(dir, 'agreement-page-1');
    poppler('pdftoppm', '-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, png);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(10_000);
  });

  it('gives the same bytes for the same document whatever the clock, dated from generatedAt', async () => {
    const { doc } = sampleAgreement('swap-pays');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-01T00:00:00Z'));
    const first = await renderAgreementPdf(doc);
    vi.setSystemTime(new Date('2031-05-05T12:34:56Z'));
    const second = await renderAgreementPdf(doc);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);

    const info = poppler('pdfinfo', '-isodates', save(first));
    expect(info).toMatch(/CreationDate:\s+2026-06-30T06:05:00Z/);
    expect(info).toMatch(/Title:\s+征收土地补偿安置协议 YZ-LX-2026-0042/);
    const later = await renderAgreementPdf({ ...doc, generatedAt: '2026-07-01T06:05:00Z' });
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(false);
  });

  it('refuses a document with a clear ID number or a total that does not add up', async () => {
    const { doc, members } = sampleAgreement('cash');
    const clear = members[1]?.clearIdNumber ?? '';
    await expect(renderAgreementPdf({ ...doc, members: doc.members.map((m, i) => (i === 1 ? { ...m, idNumberMasked: clear } : m)) })).rejects.toThrow(/not masked/);
    await expect(renderAgreementPdf({ ...doc, totalFen: doc.totalFen + 1 })).rejects.toThrow(/not the sum of its lines/);
  });
});

describe('disclosure PDF', () => {
  it('a 200-household group paginates with the table header on every page and every household and total printed', async () => {
    const { doc, members } = sampleDisclosure(200);
    const file = save(await renderDisclosurePdf(doc));
    const pages = pagesOf(file);

    expect(pages.length).toBeGreaterThan(20);
    pages.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toMatch(/补偿项目\s+数量\s+单位\s+单价（元）\s+金额（元）\s+领取对象/);
      expect(page, `page ${i + 1}`).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(page).toContain('2026-06-30 14:05:00（北京时间）');
    });
    const text = pages.join('\n');
    expect(pages[0]).toContain('征地补偿安置公示');
    expect(pages[0]).toContain(doc.villageGroupName);
    expect(pages[0]).toContain('公示期：2026年7月1日至2026年7月10日');
    for (const household of doc.households) {
      expect(text).toContain(`户编号：${household.householdNumber}`);
      expect(text).toContain(household.headName);
      expect(text).toContain(`户编号 ${household.householdNumber} 合计`);
      expect(text).toContain(formatYuan(household.totalFen));
    }
    expectNoClearIdNumbers(text, members);
    expect(pages.at(-1)).toMatch(new RegExp(`本组合计（200 户）\\s+${formatYuan(doc.totalFen)}`));
  });

  it('refuses a group total that is not the sum of its households', async () => {
    const { doc } = sampleDisclosure(3);
    await expect(renderDisclosurePdf({ ...doc, totalFen: doc.totalFen - 100 })).rejects.toThrow(/not the sum/);
  });
});
