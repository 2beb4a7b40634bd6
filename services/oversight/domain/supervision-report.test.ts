import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors.ts';
import { composeSupervisionReport, latenessText, unitName, type SupervisionFacts, type SupervisionReportText } from './supervision-report.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// October 2026 in Beijing time; generated 2026-11-02 09:30 Beijing.
const facts = (): SupervisionFacts => ({
  reportId: 'R1',
  number: '永征督〔2026〕3号',
  period: { from: '2026-09-30T16:00:00Z', to: '2026-10-31T16:00:00Z' },
  inspectedBy: ['supervision-office', 'discipline-commission'],
  generatedAt: '2026-11-02T01:30:00Z',
  resolutions: [
    // Due 2026-10-20 17:00 Beijing, still open at 2026-11-02 09:30: 12 days 16 hours 30 minutes.
    { meetingTitle: '第十次联席会议', heldAt: '2026-10-09T02:00:00Z', seq: 2, text: '完成梅湾村一组补偿决定', owner: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, dueAt: '2026-10-20T09:00:00Z', status: 'open' },
    // Due 2026-10-10 17:00, done 20:45: 3 hours 45 minutes late.
    { meetingTitle: '第九次联席会议', heldAt: '2026-10-08T02:00:00Z', seq: 1, text: '拨付第一批补偿款', owner: { agency: 'finance', jurisdiction: 'yongzhou' }, dueAt: '2026-10-10T09:00:00Z', status: 'done', doneAt: '2026-10-10T12:45:00Z' },
    // Done before it was due: no finding, and its district is not copied.
    { meetingTitle: '第九次联席会议', heldAt: '2026-10-08T02:00:00Z', seq: 3, text: '完成示例街道清点', owner: { agency: 'township', jurisdiction: 'yongzhou/etdz/township-a' }, dueAt: '2026-10-12T09:00:00Z', status: 'done', doneAt: '2026-10-11T09:00:00Z' },
  ],
  missedDeadlines: [
    // Due 2026-10-15 24:00 Beijing, met 2026-10-18 02:00: 2 days 2 hours.
    { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', caseLabel: '梅湾村一组 001 号户（户主张三）', step: '作出补偿决定', dueAt: '2026-10-15T16:00:00Z', metAt: '2026-10-17T18:00:00Z', source: '永州市征地拆迁联动机制实施方案 §五(一)2' },
    // Due 2026-10-26 00:00 Beijing, open at 2026-11-02 09:30: 7 days 9 hours 30 minutes.
    { agency: 'finance', jurisdiction: 'yongzhou', caseLabel: '梅湾村一组 002 号户（户主李四）', step: '拨付征地补偿款', dueAt: '2026-10-25T16:00:00Z', source: '永州市征地拆迁联动机制实施方案 §五(一)4' },
    { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', caseLabel: '梅湾村一组 003 号户（户主王五）', step: '作出补偿决定', dueAt: '2026-10-15T16:00:00Z', metAt: '2026-10-15T15:00:00Z', source: '永州市征地拆迁联动机制实施方案 §五(一)2' },
  ],
  missedArrivals: [
    // Reported 14:10, due 16:10, arrived 16:45: 35 minutes.
    { incidentLabel: '伊塘镇聚集事件', district: 'yongzhou/lengshuitan', reportedAt: '2026-10-12T06:10:00Z', dueAt: '2026-10-12T08:10:00Z', arrivedAt: '2026-10-12T08:45:00Z' },
  ],
  missedMeetingMonths: ['2026-10'],
});

const EMPTY: SupervisionFacts = { ...facts(), resolutions: [], missedDeadlines: [], missedArrivals: [], missedMeetingMonths: [] };

const section = (text: SupervisionReportText, prefix: string) => {
  const found = text.sections.find((s) => s.heading.startsWith(prefix));
  if (found === undefined) throw new Error(`no section ${prefix}`);
  return found;
};
const body = (text: SupervisionReportText, prefix: string) => section(text, prefix).paragraphs.join('\n');

describe('latenessText', () => {
  it('whole days and hours, or hours and minutes, rounded down', () => {
    expect(latenessText(12 * DAY + 16 * HOUR + 30 * 60_000)).toBe('12天16小时');
    expect(latenessText(DAY)).toBe('1天');
    expect(latenessText(DAY + 59 * 60_000)).toBe('1天');
    expect(latenessText(2 * HOUR)).toBe('2小时');
    expect(latenessText(3 * HOUR + 45 * 60_000 + 59_999)).toBe('3小时45分钟');
    expect(latenessText(35 * 60_000)).toBe('35分钟');
    expect(latenessText(59_999)).toBe('不足1分钟');
  });

  it('refuses what is not late', () => {
    expect(() => latenessText(0)).toThrow();
    expect(() => latenessText(-1)).toThrow();
    expect(() => latenessText(1.5)).toThrow();
  });
});

describe('composeSupervisionReport', () => {
  const report = composeSupervisionReport(facts());

  it('title, number, recipients: the city leaders and the performance office, copied to the districts the findings lie in', () => {
    expect(report.title).toBe('关于征地拆迁联动机制执行情况的督查报告');
    expect(report.number).toBe('永征督〔2026〕3号');
    expect(report.recipients.to).toEqual(['市委、市政府相关领导', '市绩效办']);
    // Finance acts at city level (none to copy); the zone's only item was on time.
    expect(report.recipients.cc).toEqual(['中共冷水滩区委、冷水滩区人民政府主要负责人']);
    expect(report.generatedAtBeijing).toBe('2026-11-02 09:30:00（北京时间）');
    expect(report.closing).toEqual({ issuers: ['市纪委市监委', '市委、市政府督查室'], dateText: '2026年11月2日' });
    expect(report.sections.map((s) => s.heading)).toEqual([
      '一、检查情况', '二、联席会议决议落实情况', '三、联动机制执行情况', '（一）联动部门履职时限', '（二）突发事件到场处置', '（三）联席会议召开情况', '四、处理建议',
    ]);
  });

  it('一: the half-open period in Beijing dates, who inspected, the counts of what was found', () => {
    const text = body(report, '一');
    expect(text).toContain('§四(四)');
    expect(text).toContain('市纪委市监委和市委、市政府督查室对2026年10月1日至2026年10月31日（北京时间，下同）');
    expect(text).toContain('逾期未落实或逾期办结2项；联动部门法定期限逾期2项；较大以上突发事件区主要负责人未在2小时内到场处置1起；未按月召开联席会议1个月。');
  });

  it('二: each late resolution with its meeting, item, owner, due time and lateness; one done on time is no finding', () => {
    const text = body(report, '二');
    expect(text).toContain('§四(一)');
    expect(text).toContain('1. 2026年10月8日第九次联席会议决议第1项“拨付第一批补偿款”，责任单位市财政局，应于2026年10月10日 17:00前落实，于2026年10月10日 20:45办结，逾期3小时45分钟。');
    expect(text).toContain('2. 2026年10月9日第十次联席会议决议第2项“完成梅湾村一组补偿决定”，责任单位市国土资源局（冷水滩区），应于2026年10月20日 17:00前落实，截至2026年11月2日 09:30仍未办结，已逾期12天16小时。');
    expect(text).toContain('其中1项截至2026年11月2日 09:30仍未办结，1项已逾期办结');
    expect(text).not.toContain('示例街道');
    expect(section(report, '二').table?.rows).toEqual([
      ['第九次联席会议第1项', '市财政局', '2026年10月10日 17:00', '2026年10月10日 20:45办结', '3小时45分钟'],
      ['第十次联席会议第2项', '市国土资源局（冷水滩区）', '2026年10月20日 17:00', '截至2026年11月2日 09:30未办结', '12天16小时'],
    ]);
  });

  it('三: missed deadlines grouped by agency, the late arrival, the month without a meeting', () => {
    const deadlines = section(report, '（一）');
    expect(deadlines.paragraphs.join('\n')).toContain('§四(三)');
    expect(deadlines.paragraphs).toContain('市国土资源局（冷水滩区）逾期1项，已逾期完成。');
    expect(deadlines.paragraphs).toContain('市财政局逾期1项，截至2026年11月2日 09:30仍未完成。');
    expect(deadlines.table?.rows).toEqual([
      ['市国土资源局（冷水滩区）', '梅湾村一组 001 号户（户主张三）', '作出补偿决定', '2026年10月16日 00:00', '2026年10月18日 02:00完成', '2天2小时', '永州市征地拆迁联动机制实施方案 §五(一)2'],
      ['市财政局', '梅湾村一组 002 号户（户主李四）', '拨付征地补偿款', '2026年10月26日 00:00', '截至2026年11月2日 09:30未完成', '7天9小时', '永州市征地拆迁联动机制实施方案 §五(一)4'],
    ]);
    const [met, open] = facts().missedDeadlines;
    const three = composeSupervisionReport({ ...EMPTY, missedDeadlines: [met!, { ...open!, agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' }, { ...met!, caseLabel: '另一户' }] });
    expect(section(three, '（一）').paragraphs).toContain('市国土资源局（冷水滩区）逾期3项，其中1项截至2026年11月2日 09:30仍未完成，2项已逾期完成。');
    const arrivals = body(report, '（二）');
    expect(arrivals).toContain('§五(三)');
    expect(arrivals).toContain('1. 伊塘镇聚集事件（冷水滩区），2026年10月12日 14:10报告，应于2026年10月12日 16:10前到场，2026年10月12日 16:45到场，逾期35分钟。');
    expect(body(report, '（三）')).toContain('2026年10月未召开联席会议');
  });

  it('四: each owner assigned with a period to report back, and accountability put to the discipline commission', () => {
    const text = body(report, '四');
    expect(text).toContain('1. 市财政局：第九次联席会议决议第1项；梅湾村一组 002 号户（户主李四）“拨付征地补偿款”。尚未办结的事项须立即办结，并自本报告印发之日起15日内');
    expect(text).toContain('2. 市国土资源局（冷水滩区）：第十次联席会议决议第2项；梅湾村一组 001 号户（户主张三）“作出补偿决定”。');
    expect(text).toContain('3. 冷水滩区人民政府：伊塘镇聚集事件主要负责人到场处置。须自本报告印发之日起15日内');
    expect(text).toContain('4. 中心城区征地拆迁工作协调领导小组办公室：2026年10月联席会议。');
    expect(text).toContain('提请市纪委市监委对相关责任人进行约谈、追责');
    expect(text).toContain('市绩效办');
  });

  it('counts an open item to the given instant', () => {
    const later = composeSupervisionReport(facts(), '2026-11-03T01:30:00Z');
    expect(body(later, '二')).toContain('截至2026年11月3日 09:30仍未办结，已逾期13天16小时');
    // An open item not yet due at that instant is no finding.
    const early = composeSupervisionReport({ ...EMPTY, resolutions: [facts().resolutions[0]!] }, '2026-10-20T08:59:00Z');
    expect(body(early, '二')).toContain('未发现');
    expect(early.recipients.cc).toEqual([]);
  });

  it('nothing found: says so in every section, copies no one, proposes no accountability', () => {
    const empty = composeSupervisionReport(EMPTY);
    expect(empty.recipients.cc).toEqual([]);
    expect(body(empty, '一')).toContain('检查未发现联席会议重大部署和决议不落实、联动机制执行不到位的情况。');
    expect(body(empty, '二')).toContain('未发现联席会议决议逾期未落实的情况');
    expect(body(empty, '三')).toContain('未发现联动部门逾期履职');
    expect(body(empty, '四')).toContain('未发现');
    expect(empty.sections.map((s) => s.heading)).toEqual(['一、检查情况', '二、联席会议决议落实情况', '三、联动机制执行情况', '四、处理建议']);
    expect(empty.sections.some((s) => s.table !== undefined)).toBe(false);
    const all = empty.sections.flatMap((s) => s.paragraphs).join('\n');
    expect(all).not.toContain('提请市纪委市监委');
    expect(all).not.toContain('逾期1');
  });

  it('copies the development zone as its working committee and management committee', () => {
    const zone = composeSupervisionReport({
      ...EMPTY,
      missedArrivals: [{ incidentLabel: '经开区阻工事件', district: 'yongzhou/etdz', reportedAt: '2026-10-05T00:00:00Z', dueAt: '2026-10-05T02:00:00Z' }],
      missedDeadlines: [{ ...facts().missedDeadlines[0]!, agency: 'township', jurisdiction: 'yongzhou/lengshuitan/yitang' }],
    });
    expect(zone.recipients.cc).toEqual([
      '中共冷水滩区委、冷水滩区人民政府主要负责人',
      '中共永州经济技术开发区工作委员会、永州经济技术开发区管理委员会主要负责人',
    ]);
    expect(body(zone, '（二）')).toContain('截至2026年11月2日 09:30无到场记录，已逾期27天23小时');
    expect(body(zone, '四')).toContain('永州经济技术开发区管理委员会');
    expect(body(zone, '（一）')).toContain('伊塘镇人民政府逾期1项');
  });

  it('names units by where they act', () => {
    expect(unitName('district-government', 'yongzhou/lengshuitan/meiwan')).toBe('冷水滩区人民政府');
    expect(unitName('township', 'yongzhou/lengshuitan/meiwan')).toBe('梅湾街道办事处');
    expect(unitName('basic-court', 'yongzhou/lengshuitan')).toBe('冷水滩区人民法院');
    expect(unitName('leading-group-office', 'yongzhou')).toBe('中心城区征地拆迁工作协调领导小组办公室');
    expect(() => unitName('land-bureau', 'yongzhou/nowhere')).toThrow();
  });

  it('refuses a period that does not run forward, inspectors the seed does not name, a resolution done without a time', () => {
    expect(() => composeSupervisionReport({ ...EMPTY, period: { from: EMPTY.period.to, to: EMPTY.period.to } })).toThrow(ValidationError);
    expect(() => composeSupervisionReport({ ...EMPTY, inspectedBy: [] })).toThrow(ValidationError);
    expect(() => composeSupervisionReport({ ...EMPTY, inspectedBy: ['land-bureau'] })).toThrow(ValidationError);
    const { doneAt: _doneAt, ...undated } = facts().resolutions[1]!;
    expect(() => composeSupervisionReport({ ...EMPTY, resolutions: [undated] })).toThrow(ValidationError);
    expect(() => composeSupervisionReport({ ...EMPTY, missedMeetingMonths: ['2026-13'] })).toThrow(ValidationError);
  });
});
