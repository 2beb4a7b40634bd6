import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstrumentText } from '../../domain/instrument-text.ts';
import { renderInstrumentPdf } from './instrument-pdf.ts';
import { libraryInstrumentRenderer } from './renderer.ts';

// Checked with poppler, as a reader would see them.
const dir = mkdtempSync(join(tmpdir(), 'instrument-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function save(pdf: Uint8Array): string {
  const file = join(dir, `instrument-${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
/** The text of each page, white space removed: a long sentence wraps, and the wrap must not hide it. */
const pagesOf = (file: string) => poppler('pdftotext', file, '-').split('\f').slice(0, -1).map((page) => page.replace(/\s+/g, ''));
const squeeze = (text: string) => text.replace(/\s+/g, '');

const GENERATED_AT = '2026-10-13T16:30:00Z';

const decision: InstrumentText = {
  title: '限期腾地决定书',
  number: '冷政腾决〔2026〕7号',
  addressee: '梅湾村一组 001 号户（户主张三）',
  paragraphs: [
    '你户未签订征收土地协议。',
    '冷水滩区人民政府已向你户作出《限期腾地通知书》（冷国土强〔2026〕3号，2026年3月10日送达）。',
    '事实和理由：限期腾地通知期满，你户仍未腾地。',
    '冷水滩区人民政府决定：你户应当自本决定书送达之日起15日内自行腾空地上物品、搬离并交出土地。',
  ],
  basis: ['永州市征地拆迁联动机制实施方案 §五(一)5', '《中华人民共和国土地管理法实施条例》（2021年）第三十一条、第六十二条'],
  remedies: '如不服本决定，可以自收到本决定书之日起60日内向永州市人民政府申请行政复议，或者自收到本决定书之日起6个月内向永州市中级人民法院提起行政诉讼。',
  closing: { issuerName: '冷水滩区人民政府', dateText: '2026年10月14日' },
};

const reminder: InstrumentText = {
  title: '履行行政决定催告书',
  number: '冷国土催〔2026〕12号',
  addressee: '梅湾村一组 001 号户（户主张三）',
  paragraphs: [
    '依照《中华人民共和国行政强制法》第三十五条，现催告你户履行上述决定：',
    '一、履行期限：自本催告书送达之日起10个工作日内。',
    '二、履行方式：自行搬离地上物品并交出土地。',
    '三、涉及金钱给付的金额：人民币 123,456.78 元；给付方式：补偿款已提存。',
    '你户依法享有陈述权和申辩权，可以在收到本催告书后以书面或者口头形式向永州市国土资源局提出陈述、申辩。',
    // Long enough to wrap, so that the reminder runs onto a second page.
    ...Array.from({ length: 40 }, (_, i) => `第${i + 1}项：你户在征收范围内的附属设施、青苗和其他地上附着物已经清点登记，清点结果已经你户签字确认并张贴公示，公示期内未收到异议。`),
  ],
  basis: ['《中华人民共和国行政强制法》第三十五条至第三十七条、第五十四条、第六十九条'],
  closing: { issuerName: '永州市国土资源局', dateText: '2026年10月14日' },
};

describe('instrument PDF', () => {
  it('a decision: title, number, addressee, the body with its period from service, the basis, the remedies, issuer and date', async () => {
    const pages = pagesOf(save(await renderInstrumentPdf(decision, GENERATED_AT)));
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text.startsWith('限期腾地决定书冷政腾决〔2026〕7号')).toBe(true);
    expect(text).toContain(squeeze(`${decision.addressee}：`));
    for (const paragraph of decision.paragraphs) expect(text).toContain(squeeze(paragraph));
    expect(text).toContain('自本决定书送达之日起15日内');
    expect(text).toContain('法律依据');
    for (const line of decision.basis) expect(text).toContain(squeeze(line));
    expect(text).toContain(squeeze(decision.remedies!));
    expect(text).toMatch(/冷水滩区人民政府（印章）2026年10月14日/);
    // The remedies come after the basis, the issuer last.
    expect(text.indexOf('法律依据')).toBeLessThan(text.indexOf('如不服本决定'));
    expect(text.indexOf('如不服本决定')).toBeLessThan(text.indexOf('冷水滩区人民政府（印章）'));
    // Footer: the instrument, the generation time in Beijing time, the page count.
    expect(text).toContain('限期腾地决定书冷政腾决〔2026〕7号生成时间：2026-10-1400:30:00（北京时间）第1页/共1页');
  });

  it('a reminder over two pages: every paragraph, the period, the right to state views, page x of y on each page', async () => {
    const pages = pagesOf(save(await libraryInstrumentRenderer.instrumentPdf(reminder, GENERATED_AT)));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(`第${i + 1}页/共${pages.length}页`);
    });
    const text = pages.join('');
    expect(text).toContain('履行行政决定催告书冷国土催〔2026〕12号');
    for (const paragraph of reminder.paragraphs) expect(text).toContain(squeeze(paragraph));
    expect(text).toContain('自本催告书送达之日起10个工作日内');
    expect(text).toContain('你户依法享有陈述权和申辩权');
    expect(text).not.toContain('如不服本决定');
    expect(pages.at(-1)).toContain('永州市国土资源局（印章）2026年10月14日');
  });

  it('embeds the Chinese font as a subset', async () => {
    const fonts = poppler('pdffonts', save(await renderInstrumentPdf(decision, GENERATED_AT))).split('\n').slice(2).filter((row) => row.trim() !== '');
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('the same text and generation time give the same bytes; another time, other bytes', async () => {
    const first = await renderInstrumentPdf(decision, GENERATED_AT);
    const second = await renderInstrumentPdf(structuredClone(decision), GENERATED_AT);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const info = poppler('pdfinfo', '-isodates', save(first));
    expect(info).toMatch(/CreationDate:\s+2026-10-13T16:30:00Z/);
    expect(info).toMatch(/Title:\s+限期腾地决定书 冷政腾决〔2026〕7号/);
    const later = await renderInstrumentPdf(decision, '2026-10-14T01:00:00Z');
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(false);
  });
});
