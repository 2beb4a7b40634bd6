import { AGENCIES, AGENCY_IDS, districtOf, findJurisdiction, JURISDICTIONS, type AgencyId } from '../../../shared/agencies.ts';
import { beijingDateText, beijingTimeText, formatBeijing, MS_PER_DAY, MS_PER_HOUR, toEpochMs } from '../../../shared/calendar/index.ts';
import { ValidationError } from '../../../shared/errors.ts';

/**
 * The supervision report (专题报告, seed §四(四)): the leading group has the discipline commission
 * and the supervision office inspect how the agencies carried out the joint meeting's resolutions
 * and the linkage mechanism; what was not carried out is reported to the city leaders and the
 * performance office, copied to the party committee and government heads of each district
 * concerned, handed to the owners to fix, and put to the discipline commission for talks and
 * accountability. The text is composed here from the records' facts; an adapter prints it.
 */

const SEED = '《永州市征地拆迁联动机制实施方案》';

/** Who inspects for the leading group (§四(四)). */
export const INSPECTORS: readonly AgencyId[] = ['discipline-commission', 'supervision-office'];

/** The period each owner has to report back on what it put right, stated as a period from the report (as instruments state theirs from service). */
export const REPORT_BACK_DAYS = 15;

export interface SupervisionFacts {
  reportId: string;
  /** 文号, e.g. 永征督〔2026〕3号. */
  number: string;
  /** ISO instants; the inspection covers [from, to). */
  period: { from: string; to: string };
  /** The discipline commission and/or the supervision office. */
  inspectedBy: AgencyId[];
  generatedAt: string;
  /** Resolutions past due: still open, or done late. */
  resolutions: LateResolution[];
  /** Agency deadlines (the legal clocks) missed. */
  missedDeadlines: MissedDeadline[];
  /** Larger or major incidents whose district leaders were not on site within 2 hours (§五(三)). */
  missedArrivals: MissedArrival[];
  /** Beijing calendar months (`2026-10`) without a joint meeting (§四(一)). */
  missedMeetingMonths: string[];
}

export interface LateResolution {
  meetingTitle: string;
  heldAt: string;
  seq: number;
  text: string;
  owner: { agency: AgencyId; jurisdiction: string };
  dueAt: string;
  status: 'open' | 'done';
  doneAt?: string;
}

export interface MissedDeadline {
  agency: AgencyId;
  jurisdiction: string;
  caseLabel: string;
  step: string;
  dueAt: string;
  metAt?: string;
  source: string;
}

export interface MissedArrival {
  incidentLabel: string;
  /** The district's jurisdiction id. */
  district: string;
  reportedAt: string;
  dueAt: string;
  arrivedAt?: string;
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  table?: { headers: string[]; rows: string[][] };
}

export interface SupervisionReportText {
  title: string;
  number: string;
  recipients: { to: string[]; cc: string[] };
  sections: ReportSection[];
  /** The inspecting bodies, one a line, and the date the report bears. */
  closing: { issuers: string[]; dateText: string };
  generatedAtBeijing: string;
}

export const REPORT_TITLE = '关于征地拆迁联动机制执行情况的督查报告';

/**
 * Composes the report. `now` is the instant an open item's lateness is counted to (the
 * generation time unless given). A record that is not late at `now` is no finding and is left
 * out: the report states only what the records prove.
 */
export function composeSupervisionReport(facts: SupervisionFacts, now: string = facts.generatedAt): SupervisionReportText {
  const fromMs = toEpochMs(facts.period.from);
  const toMs = toEpochMs(facts.period.to);
  if (fromMs >= toMs) throw new ValidationError('oversight.period-invalid', '检查期间的起始时间须早于结束时间', { period: facts.period });
  if (facts.inspectedBy.length === 0 || facts.inspectedBy.some((agency) => !INSPECTORS.includes(agency))) {
    throw new ValidationError('oversight.inspector-invalid', '督查检查由市纪委市监委和市委、市政府督查室组织实施', { inspectedBy: facts.inspectedBy });
  }
  const nowMs = toEpochMs(now);

  for (const r of facts.resolutions) {
    if (r.status === 'done' && r.doneAt === undefined) {
      throw new ValidationError('oversight.resolution-done-at-missing', `决议第${r.seq}项已办结，须载明办结时间`, { meetingTitle: r.meetingTitle, seq: r.seq });
    }
  }
  const resolutions = facts.resolutions
    .map((r) => ({ ...r, lateMs: lateness(r.dueAt, r.status === 'done' ? r.doneAt : undefined, nowMs) }))
    .filter((r) => r.lateMs > 0)
    .sort((a, b) => toEpochMs(a.heldAt) - toEpochMs(b.heldAt) || a.seq - b.seq);
  const deadlines = facts.missedDeadlines
    .map((d) => ({ ...d, lateMs: lateness(d.dueAt, d.metAt, nowMs) }))
    .filter((d) => d.lateMs > 0)
    .sort((a, b) => agencyRank(a.agency) - agencyRank(b.agency) || jurisdictionRank(a.jurisdiction) - jurisdictionRank(b.jurisdiction) || toEpochMs(a.dueAt) - toEpochMs(b.dueAt));
  const arrivals = facts.missedArrivals
    .map((a) => ({ ...a, lateMs: lateness(a.dueAt, a.arrivedAt, nowMs) }))
    .filter((a) => a.lateMs > 0)
    .sort((a, b) => toEpochMs(a.reportedAt) - toEpochMs(b.reportedAt));
  const months = [...new Set(facts.missedMeetingMonths)].sort();
  // A malformed month is refused before anything is composed.
  for (const month of months) monthText(month);

  const findings = { resolutions, deadlines, arrivals, months };
  const anything = resolutions.length + deadlines.length + arrivals.length + months.length > 0;
  const asOf = beijingClock(nowMs);

  return {
    title: REPORT_TITLE,
    number: facts.number,
    recipients: { to: ['市委、市政府相关领导', '市绩效办'], cc: districtHeads(findings) },
    sections: [
      inspectionSection(facts, fromMs, toMs, findings),
      resolutionSection(resolutions, asOf),
      ...linkageSections(deadlines, arrivals, months, asOf),
      recommendationSection(findings, anything),
    ],
    closing: { issuers: INSPECTORS.filter((a) => facts.inspectedBy.includes(a)).map((a) => AGENCIES[a].nameZh), dateText: beijingDateText(facts.generatedAt) },
    generatedAtBeijing: beijingTimeText(facts.generatedAt),
  };
}

interface Findings {
  resolutions: Array<LateResolution & { lateMs: number }>;
  deadlines: Array<MissedDeadline & { lateMs: number }>;
  arrivals: Array<MissedArrival & { lateMs: number }>;
  months: string[];
}

/** How late a step is: to when it was done, or, not done, to `nowMs`. */
function lateness(dueAt: string, doneAt: string | undefined, nowMs: number): number {
  return (doneAt === undefined ? nowMs : toEpochMs(doneAt)) - toEpochMs(dueAt);
}

/**
 * A lateness in words, whole units, rounded down so it is never overstated: `3天4小时`,
 * `1小时35分钟`, `20分钟`. Integer milliseconds throughout.
 */
export function latenessText(lateMs: number): string {
  if (!Number.isInteger(lateMs) || lateMs <= 0) throw new Error(`not a lateness: ${lateMs}`);
  const days = Math.floor(lateMs / MS_PER_DAY);
  const hours = Math.floor((lateMs - days * MS_PER_DAY) / MS_PER_HOUR);
  const minutes = Math.floor((lateMs - days * MS_PER_DAY - hours * MS_PER_HOUR) / 60_000);
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return minutes > 0 ? `${hours}小时${minutes}分钟` : `${hours}小时`;
  return minutes > 0 ? `${minutes}分钟` : '不足1分钟';
}

/** `2026年10月14日 17:00` in Beijing time (seconds only when the record has them). */
export function beijingClock(instant: string | number): string {
  const iso = formatBeijing(instant);
  const seconds = iso.slice(17, 19);
  return `${beijingDateText(iso)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}

function monthText(month: string): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (match === null) throw new ValidationError('oversight.month-invalid', `月份格式应为YYYY-MM：${month}`, { month });
  return `${match[1]}年${Number(match[2])}月`;
}

const agencyRank = (agency: AgencyId) => AGENCY_IDS.indexOf(agency);
const jurisdictionRank = (id: string) => JURISDICTIONS.findIndex((j) => j.id === id);

function jurisdictionName(id: string): string {
  const jurisdiction = findJurisdiction(id);
  if (jurisdiction === undefined) throw new Error(`unknown jurisdiction: ${id}`);
  return jurisdiction.nameZh;
}

const isDevelopmentZone = (name: string) => name.endsWith('开发区');

/**
 * The unit that answers, as people name it: a district government by its district (the zone's
 * management committee), a township or street office by its name, a city department by its
 * own name with the district it acted in.
 */
export function unitName(agency: AgencyId, jurisdiction: string): string {
  const place = findJurisdiction(jurisdiction);
  if (place === undefined) throw new Error(`unknown jurisdiction: ${jurisdiction}`);
  const district = districtOf(jurisdiction);
  switch (agency) {
    case 'district-government': {
      const name = jurisdictionName(district ?? jurisdiction);
      return isDevelopmentZone(name) ? `${name}管理委员会` : `${name}人民政府`;
    }
    case 'township':
      return place.nameZh.endsWith('街道') ? `${place.nameZh}办事处` : `${place.nameZh}人民政府`;
    case 'basic-court': {
      const name = jurisdictionName(district ?? jurisdiction);
      return isDevelopmentZone(name) ? `${name}所在地基层人民法院` : `${name}人民法院`;
    }
    default:
      return place.level === 'city' ? AGENCIES[agency].nameZh : `${AGENCIES[agency].nameZh}（${place.nameZh}）`;
  }
}

/**
 * 抄送: the party committee and government heads of each district a finding lies in (§四(四)
 * 抄送所在地党委、政府主要领导); the city level has none of its own to copy.
 */
function districtHeads(findings: Findings): string[] {
  const places = [
    ...findings.resolutions.map((r) => r.owner.jurisdiction),
    ...findings.deadlines.map((d) => d.jurisdiction),
    ...findings.arrivals.map((a) => a.district),
  ];
  const districts = new Set(places.map((place) => {
    jurisdictionName(place);
    return districtOf(place);
  }).filter((d): d is string => d !== undefined));
  return [...districts]
    .sort((a, b) => jurisdictionRank(a) - jurisdictionRank(b))
    .map((district) => {
      const name = jurisdictionName(district);
      return isDevelopmentZone(name) ? `中共${name}工作委员会、${name}管理委员会主要负责人` : `中共${name}委、${name}人民政府主要负责人`;
    });
}

function inspectionSection(facts: SupervisionFacts, fromMs: number, toMs: number, findings: Findings): ReportSection {
  const inspectors = INSPECTORS.filter((a) => facts.inspectedBy.includes(a)).map((a) => AGENCIES[a].nameZh).join('和');
  // The period is half-open: its last day is the one before `to`'s instant.
  const span = `${beijingDateText(formatBeijing(fromMs))}至${beijingDateText(formatBeijing(toMs - 1))}`;
  const { resolutions, deadlines, arrivals, months } = findings;
  const counts = resolutions.length + deadlines.length + arrivals.length + months.length === 0
    ? '检查未发现联席会议重大部署和决议不落实、联动机制执行不到位的情况。'
    : `检查发现：联席会议决议逾期未落实或逾期办结${resolutions.length}项；联动部门法定期限逾期${deadlines.length}项；` +
      `较大以上突发事件区主要负责人未在2小时内到场处置${arrivals.length}起；未按月召开联席会议${months.length}个月。`;
  return {
    heading: '一、检查情况',
    paragraphs: [
      `根据${SEED}§四(四)，受中心城区征地拆迁工作协调领导小组组织，${inspectors}对${span}（北京时间，下同）联动部门的重大活动联动处置情况进行了检查，` +
        '对照联席会议记录、决议台账、法定期限监控记录和突发事件处置记录逐项核对。',
      counts,
    ],
  };
}

/** `其中1项仍未办结，2项已逾期办结`, without a part that counts none (`均…` when one part is all). */
function split(first: number, firstText: string, second: number, secondText: string): string {
  if (first + second === 1) return first === 1 ? firstText : secondText;
  if (second === 0) return `均${firstText}`;
  if (first === 0) return `均${secondText}`;
  return `其中${first}项${firstText}，${second}项${secondText}`;
}

function resolutionSection(resolutions: Findings['resolutions'], asOf: string): ReportSection {
  const heading = '二、联席会议决议落实情况';
  if (resolutions.length === 0) {
    return { heading, paragraphs: [`检查期间未发现联席会议决议逾期未落实的情况（${SEED}§四(一)）。`] };
  }
  const open = resolutions.filter((r) => r.status === 'open').length;
  return {
    heading,
    paragraphs: [
      `联席会议的决议对各联动部门具有约束力（${SEED}§四(一)）。检查发现${resolutions.length}项决议未在规定时限内落实，${split(open, `截至${asOf}仍未办结`, resolutions.length - open, '已逾期办结')}：`,
      ...resolutions.map((r, i) => {
        const owner = unitName(r.owner.agency, r.owner.jurisdiction);
        const outcome = r.status === 'open' ? `截至${asOf}仍未办结，已逾期${latenessText(r.lateMs)}` : `于${beijingClock(r.doneAt!)}办结，逾期${latenessText(r.lateMs)}`;
        return `${i + 1}. ${beijingDateText(r.heldAt)}${r.meetingTitle}决议第${r.seq}项“${r.text}”，责任单位${owner}，应于${beijingClock(r.dueAt)}前落实，${outcome}。`;
      }),
    ],
    table: {
      headers: ['会议及决议', '责任单位', '落实时限', '办理情况', '逾期'],
      rows: resolutions.map((r) => [
        `${r.meetingTitle}第${r.seq}项`,
        unitName(r.owner.agency, r.owner.jurisdiction),
        beijingClock(r.dueAt),
        r.status === 'open' ? `截至${asOf}未办结` : `${beijingClock(r.doneAt!)}办结`,
        latenessText(r.lateMs),
      ]),
    },
  };
}

function linkageSections(deadlines: Findings['deadlines'], arrivals: Findings['arrivals'], months: string[], asOf: string): ReportSection[] {
  const sections: ReportSection[] = [];
  const nothing = deadlines.length + arrivals.length + months.length === 0;
  sections.push({
    heading: '三、联动机制执行情况',
    paragraphs: [nothing ? '检查期间未发现联动部门逾期履职、区主要负责人未按时到场处置或未按月召开联席会议的情况。' : '检查发现联动机制执行不到位的情况如下。'],
  });
  if (nothing) return sections;

  if (deadlines.length === 0) {
    sections.push({ heading: '（一）联动部门履职时限', paragraphs: ['未发现联动部门逾期履职的情况。'] });
  } else {
    const groups = new Map<string, Findings['deadlines']>();
    for (const d of deadlines) {
      const name = unitName(d.agency, d.jurisdiction);
      groups.set(name, [...(groups.get(name) ?? []), d]);
    }
    sections.push({
      heading: '（一）联动部门履职时限',
      paragraphs: [
        `以下环节未在法定或规定期限内完成，按${SEED}§四(三)计入责任单位绩效考核：`,
        ...[...groups].map(([name, items]) => {
          const open = items.filter((d) => d.metAt === undefined).length;
          return `${name}逾期${items.length}项，${split(open, `截至${asOf}仍未完成`, items.length - open, '已逾期完成')}。`;
        }),
      ],
      table: {
        headers: ['责任单位', '案件', '环节', '期限', '完成情况', '逾期', '依据'],
        rows: deadlines.map((d) => [
          unitName(d.agency, d.jurisdiction),
          d.caseLabel,
          d.step,
          beijingClock(d.dueAt),
          d.metAt === undefined ? `截至${asOf}未完成` : `${beijingClock(d.metAt)}完成`,
          latenessText(d.lateMs),
          d.source,
        ]),
      },
    });
  }

  if (arrivals.length === 0) {
    sections.push({ heading: '（二）突发事件到场处置', paragraphs: ['未发现较大以上突发事件区主要负责人未在2小时内到场处置的情况。'] });
  } else {
    sections.push({
      heading: '（二）突发事件到场处置',
      paragraphs: [
        `较大以上突发事件发生后，区政府（管委会）主要负责人须在2小时内赶赴现场处置（${SEED}§五(三)）。以下${arrivals.length}起未按时到场：`,
        ...arrivals.map((a, i) => {
          const outcome = a.arrivedAt === undefined ? `截至${asOf}无到场记录，已逾期${latenessText(a.lateMs)}` : `${beijingClock(a.arrivedAt)}到场，逾期${latenessText(a.lateMs)}`;
          return `${i + 1}. ${a.incidentLabel}（${jurisdictionName(a.district)}），${beijingClock(a.reportedAt)}报告，应于${beijingClock(a.dueAt)}前到场，${outcome}。`;
        }),
      ],
      table: {
        headers: ['事件', '所在区', '报告时间', '到场时限', '到场情况', '逾期'],
        rows: arrivals.map((a) => [
          a.incidentLabel,
          jurisdictionName(a.district),
          beijingClock(a.reportedAt),
          beijingClock(a.dueAt),
          a.arrivedAt === undefined ? `截至${asOf}无到场记录` : `${beijingClock(a.arrivedAt)}到场`,
          latenessText(a.lateMs),
        ]),
      },
    });
  }

  sections.push({
    heading: '（三）联席会议召开情况',
    paragraphs: [
      months.length === 0
        ? '检查期间联席会议均按月召开。'
        : `${months.map(monthText).join('、')}未召开联席会议，不符合联席会议原则上每月召开一次的要求（${SEED}§四(一)），责任单位为${AGENCIES['leading-group-office'].nameZh}。`,
    ],
  });
  return sections;
}

/** Each unit a finding names, with what it answers for, in the order the findings list them. */
function owners(findings: Findings): Array<{ name: string; items: string[]; open: boolean }> {
  const byName = new Map<string, { name: string; items: string[]; open: boolean }>();
  const add = (name: string, item: string, open: boolean) => {
    const entry = byName.get(name) ?? { name, items: [], open: false };
    entry.items.push(item);
    entry.open ||= open;
    byName.set(name, entry);
  };
  for (const r of findings.resolutions) add(unitName(r.owner.agency, r.owner.jurisdiction), `${r.meetingTitle}决议第${r.seq}项`, r.status === 'open');
  for (const d of findings.deadlines) add(unitName(d.agency, d.jurisdiction), `${d.caseLabel}“${d.step}”`, d.metAt === undefined);
  for (const a of findings.arrivals) add(unitName('district-government', a.district), `${a.incidentLabel}主要负责人到场处置`, false);
  for (const m of findings.months) add(AGENCIES['leading-group-office'].nameZh, `${monthText(m)}联席会议`, false);
  return [...byName.values()];
}

function recommendationSection(findings: Findings, anything: boolean): ReportSection {
  const heading = '四、处理建议';
  if (!anything) {
    return { heading, paragraphs: [`本次检查未发现联席会议重大部署和决议不落实、联动机制执行不到位的问题，暂无需交办、督办事项，亦无提请问责事项（${SEED}§四(四)）。`] };
  }
  return {
    heading,
    paragraphs: [
      `根据${SEED}§四(四)，对发现的问题进行交办、督办：`,
      ...owners(findings).map((owner, i) =>
        `${i + 1}. ${owner.name}：${owner.items.join('；')}。${owner.open ? '尚未办结的事项须立即办结，并' : '须'}自本报告印发之日起${REPORT_BACK_DAYS}日内将整改落实情况书面报告领导小组办公室。`,
      ),
      `上述情况专题报送市委、市政府相关领导和市绩效办，并计入相关单位绩效考核（${SEED}§四(三)）。`,
      `提请市纪委市监委对相关责任人进行约谈、追责（${SEED}§四(四)）。`,
    ],
  };
}
