import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSupervisionReport, type SupervisionFacts } from '../domain/supervision-report.ts';
import { librarySupervisionReportRenderer, renderSupervisionReportPdf } from './supervision-report-pdf.ts';

// Checked with poppler, as a reader would see it.
const dir = mkdtempSync(join(tmpdir(), 'supervision-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function save(pdf: Uint8Array): string {
  const file = join(dir, `report-${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
/** The text of each page, white space removed: a long sentence wraps, and the wrap must not hide it. */
const pagesOf = (file: string) => poppler('pdftotext', '-enc', 'UTF-8', file, '-').split('\f').slice(0, -1).map((page) => page.replace(/\s+/g, ''));
const squeeze = (text: string) => text.replace(/\s+/g, '');

const GENERATED_AT = '2026-11-02T01:30:00Z';

const FACTS: SupervisionFacts = {
  reportId: 'R1',
  number: '永征督〔2026〕3号',
  period: { from: '2026-09-30T16:00:00Z', to: '2026-10-31T16:00:00Z' },
  inspectedBy: ['discipline-commission', 'supervision-office'],
  generatedAt: GENERATED_AT,
  resolutions: [
    { meetingTitle: '第十次联席会议', heldAt: '2026-10-09T02:00:00Z', seq: 2, text: '完成梅湾村一组补偿决定', owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, dueAt: '2026-10-20T09:00:00Z', status: 'open' },
  ],
  missedDeadlines: Array.from({ length: 30 }, (_, i) => ({
    agency: i % 2 === 0 ? ('finance' as const) : ('land-bureau' as const),
    jurisdiction: i % 2 === 0 ? 'yongzhou' : 'yongzhou/lengshuitan',
    caseLabel: `梅湾村一组 ${String(i + 1).padStart(3, '0')} 号户`,
    step: i % 2 === 0 ? '拨付征地补偿款' : '作出补偿决定',
    dueAt: '2026-10-15T16:00:00Z',
    ...(i % 3 === 0 ? {} : { metAt: '2026-10-17T18:00:00Z' }),
    source: '永州市征地拆迁联动机制实施方案 §五(一)4',
  })),
  missedArrivals: [
    { incidentLabel: '经开区阻工事件', district: 'yongzhou/etdz', reportedAt: '2026-10-12T06:10:00Z', dueAt: '2026-10-12T08:10:00Z', arrivedAt: '2026-10-12T08:45:00Z' },
  ],
  missedMeetingMonths: ['2026-10'],
};

const EMPTY: SupervisionFacts = { ...FACTS, resolutions: [], missedDeadlines: [], missedArrivals: [], missedMeetingMonths: [] };

describe('supervision report PDF', () => {
  it('title, number, 主送, the findings with Beijing times and owners, the §四(四) proposals, 抄送, page x of y', async () => {
    const text = composeSupervisionReport(FACTS);
    const pdf = await renderSupervisionReportPdf(text, GENERATED_AT);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pages = pagesOf(save(pdf));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(`第${i + 1}页/共${pages.length}页`);
    });
    const all = pages.join('');
    expect(all.startsWith('关于征地拆迁联动机制执行情况的督查报告永征督〔2026〕3号主送：市委、市政府相关领导，市绩效办')).toBe(true);
    for (const section of text.sections) {
      expect(all).toContain(squeeze(section.heading));
      for (const paragraph of section.paragraphs) expect(all).toContain(squeeze(paragraph));
    }
    expect(all).toContain('应于2026年10月20日17:00前落实，截至2026年11月2日09:30仍未办结，已逾期12天16小时');
    expect(all).toContain('市国土资源局（冷水滩区）');
    expect(all).toContain('永州经济技术开发区管理委员会');
    expect(all).toContain('§四(四)');
    expect(all).toContain('提请市纪委市监委对相关责任人进行约谈、追责');
    // The inspectors and the date close the report; 抄送 comes last.
    expect(all).toContain('市纪委市监委市委、市政府督查室2026年11月2日');
    expect(all).toContain('本报告依据系统记录生成，生成时间：2026-11-0209:30:00（北京时间）');
    expect(all).toContain('抄送：中共冷水滩区委、冷水滩区人民政府主要负责人，中共永州经济技术开发区工作委员会、永州经济技术开发区管理委员会主要负责人。');
    expect(all.indexOf('四、处理建议')).toBeLessThan(all.indexOf('抄送：'));
    expect(pages.at(-1)).toContain('生成时间：2026-11-0209:30:00（北京时间）');
  });

  it('nothing found: a one-page report that says so, with no 抄送', async () => {
    const pages = pagesOf(save(await librarySupervisionReportRenderer.supervisionPdf(composeSupervisionReport(EMPTY), GENERATED_AT)));
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page).toContain('检查未发现联席会议重大部署和决议不落实、联动机制执行不到位的情况。');
    expect(page).toContain('暂无需交办、督办事项');
    expect(page).not.toContain('抄送');
    expect(page).not.toContain('约谈、追责');
  });

  it('embeds the Chinese font as a subset', async () => {
    const fonts = poppler('pdffonts', save(await renderSupervisionReportPdf(composeSupervisionReport(FACTS), GENERATED_AT))).split('\n').slice(2).filter((row) => row.trim() !== '');
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('the same text and generation time give the same bytes; another time, other bytes', async () => {
    const text = composeSupervisionReport(FACTS);
    const first = await renderSupervisionReportPdf(text, GENERATED_AT);
    const second = await renderSupervisionReportPdf(structuredClone(text), GENERATED_AT);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const info = poppler('pdfinfo', '-isodates', save(first));
    expect(info).toMatch(/CreationDate:\s+2026-11-02T01:30:00Z/);
    expect(info).toMatch(/Title:\s+关于征地拆迁联动机制执行情况的督查报告 永征督〔2026〕3号/);
    const later = await renderSupervisionReportPdf(text, '2026-11-02T02:00:00Z');
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(false);
  });
});
