import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { criterionOf, type IncidentClass, type IncidentCriteria } from './criteria.ts';

/**
 * An incident during expropriation (突发事件, seed §五(三)): the township or community reports it at
 * once to the project headquarters and handles it first; a general one the headquarters resolves, a
 * larger one brings the district's principal leaders on site within 2 hours, a major one the
 * leading group takes to an ad hoc joint meeting. Violent resistance goes to public security
 * (§三(七)) and the procuratorate (§三(五)). The record is the truth; the 2-hour clock is a watch.
 */
export interface Incident {
  incidentId: string;
  projectId: string;
  /** The project's district: whose headquarters and whose leaders answer for it. */
  district: string;
  township: string;
  /** Households involved, if any (by id, as the compensation service knows them). */
  householdIds: string[];
  summary: string;
  location: Place;
  /** When it happened, as the reporter says; the clock runs from `reportedAt`, the instant the report reached the system. */
  occurredAt: string;
  reportedAt: string;
  reportedBy: Identity;
  people: { count: number; description: string };
  /** Scene photos and videos (hashed, under Object Lock). */
  evidence: EvidenceRecord[];
  firstResponse?: { actions: string; at: string; evidence: EvidenceRecord[]; recordedBy: Identity; recordedAt: string };
  /** The current class: the last entry of `classifications`. */
  class: IncidentClass;
  /** Every classification, the first at the report: who, when, on which criterion, why. */
  classifications: Classification[];
  /** The district principal leader's arrival on site (larger and major incidents). */
  leaderOnSite?: { leaderName: string; leaderTitle: string; arrivedAt: string; location: Place; evidence: EvidenceRecord[]; recordedBy: Identity; recordedAt: string };
  /** Violent resistance referred to public security and the procuratorate. */
  referrals: Referral[];
  /** A major incident asks the leading group office to convene an ad hoc joint meeting. */
  jointMeetingRequestedAt?: string;
  status: 'open' | 'closed';
  closed?: { at: string; by: Identity; outcome: string };
  updatedAt: string;
}

export interface Place {
  address: string;
  /** WGS-84, as a phone reports it. */
  latitude?: number;
  longitude?: number;
}

export interface Classification {
  class: IncidentClass;
  criterionId?: string;
  /** The criteria's revision the class was chosen under (the leading group office may change them later). */
  criteriaRevision?: number;
  reason: string;
  by: Identity;
  at: string;
}

export interface Referral {
  agency: 'public-security' | 'procuratorate';
  /** What each is asked to do (§三(七) public order; §三(五) fast arrest and prosecution). */
  task: string;
  description: string;
  by: Identity;
  at: string;
}

export const REFERRAL_TASKS: Record<Referral['agency'], string> = {
  'public-security': '依法维护现场治安秩序，依法处置暴力抗拆等违法犯罪行为（§三(七)）',
  procuratorate: '对暴力抗拆等犯罪行为依法快捕快诉（§三(五)）',
};

/** Classes whose district leaders must be on site within 2 hours: a major incident is at least a larger one. */
export const needsLeaderOnSite = (cls: IncidentClass) => cls === 'larger' || cls === 'major';

export interface ReportInput {
  township: string;
  householdIds: string[];
  summary: string;
  location: Place;
  occurredAt: string;
  people: { count: number; description: string };
  class: IncidentClass;
  criterionId?: string | undefined;
  reason: string;
  firstResponse?: string | undefined;
}

export function reportIncident(incidentId: string, project: { id: string; district: string }, input: ReportInput, criteria: IncidentCriteria | undefined, actor: Identity, now: Date): Incident {
  if (Date.parse(input.occurredAt) > now.getTime()) throw new ValidationError('incident.occurred-in-future', '事件发生时间不能晚于报告时间');
  const at = now.toISOString();
  return {
    incidentId,
    projectId: project.id,
    district: project.district,
    township: input.township,
    householdIds: [...new Set(input.householdIds)],
    summary: input.summary,
    location: input.location,
    occurredAt: new Date(input.occurredAt).toISOString(),
    reportedAt: at,
    reportedBy: actor,
    people: input.people,
    evidence: [],
    ...(input.firstResponse ? { firstResponse: { actions: input.firstResponse, at, evidence: [], recordedBy: actor, recordedAt: at } } : {}),
    class: input.class,
    classifications: [classification(input.class, input.criterionId, input.reason, criteria, actor, now)],
    referrals: [],
    ...(input.class === 'major' ? { jointMeetingRequestedAt: at } : {}),
    status: 'open',
    updatedAt: at,
  };
}

function classification(cls: IncidentClass, criterionId: string | undefined, reason: string, criteria: IncidentCriteria | undefined, by: Identity, now: Date): Classification {
  if (criterionId !== undefined) {
    const criterion = criteria ? criterionOf(criteria, criterionId) : undefined;
    if (!criterion) throw new ValidationError('incident.criterion-unknown', `分级标准中没有 ${criterionId}，请按领导小组办公室现行标准选择`);
    if (criterion.class !== cls) throw new ValidationError('incident.criterion-mismatch', `标准 ${criterionId} 属于“${CLASS_ZH[criterion.class]}”，与所定级别“${CLASS_ZH[cls]}”不符`);
  }
  return { class: cls, ...(criterionId !== undefined && criteria ? { criterionId, criteriaRevision: criteria.revision } : {}), reason, by, at: now.toISOString() };
}

export const CLASS_ZH: Record<IncidentClass, string> = { general: '一般性事件', larger: '较大事件', major: '重大事件' };

function open(incident: Incident): void {
  if (incident.status === 'closed') throw new ConflictError('incident.closed', `事件 ${incident.incidentId} 已结案`);
}

/**
 * A new class, with its reason. Lowering a larger or major incident stops the district's 2-hour
 * clock, so only the leading group office may lower it — never the district whose clock it is.
 */
export function reclassify(incident: Incident, input: { class: IncidentClass; criterionId?: string | undefined; reason: string }, criteria: IncidentCriteria | undefined, actor: Identity, now: Date): Incident {
  open(incident);
  if (input.class === incident.class) throw new ConflictError('incident.same-class', `事件已定为“${CLASS_ZH[input.class]}”`);
  if (needsLeaderOnSite(incident.class) && !needsLeaderOnSite(input.class) && actor.agency !== 'leading-group-office') {
    throw new ForbiddenError('forbidden.agency', '较大、重大事件降为一般性事件须由领导小组办公室决定（区主要负责人到场时限因此停止）');
  }
  const entry = classification(input.class, input.criterionId, input.reason, criteria, actor, now);
  const at = now.toISOString();
  const meeting = input.class === 'major' && !incident.jointMeetingRequestedAt ? { jointMeetingRequestedAt: at } : {};
  return { ...incident, class: input.class, classifications: [...incident.classifications, entry], ...meeting, updatedAt: at };
}

export function addSceneEvidence(incident: Incident, evidence: EvidenceRecord[], now: Date): Incident {
  open(incident);
  return { ...incident, evidence: [...incident.evidence, ...evidence], updatedAt: now.toISOString() };
}

export function recordFirstResponse(incident: Incident, input: { actions: string; at: string }, evidence: EvidenceRecord[], actor: Identity, now: Date): Incident {
  open(incident);
  if (Date.parse(input.at) > now.getTime()) throw new ValidationError('incident.response-in-future', '先期处置时间不能晚于当前时间');
  if (Date.parse(input.at) < Date.parse(incident.occurredAt)) throw new ValidationError('incident.response-before-incident', '先期处置时间不能早于事件发生时间');
  const at = now.toISOString();
  return { ...incident, firstResponse: { actions: input.actions, at: new Date(input.at).toISOString(), evidence, recordedBy: actor, recordedAt: at }, updatedAt: at };
}

/**
 * The district leader is on site. Recorded once, by the district government, with where and a
 * photo; the arrival cannot precede the report (the clock has nothing to measure then) nor lie in
 * the future.
 */
export function recordLeaderOnSite(incident: Incident, input: { leaderName: string; leaderTitle: string; arrivedAt: string; location: Place }, evidence: EvidenceRecord[], actor: Identity, now: Date): Incident {
  open(incident);
  if (!incident.classifications.some((c) => needsLeaderOnSite(c.class))) {
    throw new RuleViolationError('incident.not-larger', '一般性事件由指挥部协调解决，不登记区主要负责人到场');
  }
  if (incident.leaderOnSite) throw new ConflictError('incident.leader-recorded', `已登记${incident.leaderOnSite.leaderTitle}${incident.leaderOnSite.leaderName}到场`);
  const arrived = Date.parse(input.arrivedAt);
  if (arrived > now.getTime()) throw new ValidationError('incident.arrival-in-future', '到场时间不能晚于当前时间');
  if (arrived < Date.parse(incident.occurredAt)) throw new ValidationError('incident.arrival-before-incident', '到场时间不能早于事件发生时间');
  const at = now.toISOString();
  return { ...incident, leaderOnSite: { ...input, arrivedAt: new Date(arrived).toISOString(), evidence, recordedBy: actor, recordedAt: at }, updatedAt: at };
}

/** Violent resistance: one referral each to public security and the procuratorate, once per incident. */
export function referViolence(incident: Incident, description: string, actor: Identity, now: Date): Incident {
  open(incident);
  if (incident.referrals.length > 0) throw new ConflictError('incident.already-referred', '本事件已移送公安机关和检察机关');
  const at = now.toISOString();
  const referrals = (['public-security', 'procuratorate'] as const).map((agency): Referral => ({ agency, task: REFERRAL_TASKS[agency], description, by: actor, at }));
  return { ...incident, referrals, updatedAt: at };
}

/**
 * The incident is handled. A larger or major incident whose leader has not yet come cannot be
 * closed before the 2 hours run out (the clock would stop unmet); once they have run out, the miss
 * is already on record and closing stops the wait.
 */
export function closeIncident(incident: Incident, outcome: string, onSiteDueAt: string | undefined, actor: Identity, now: Date): Incident {
  open(incident);
  if (needsLeaderOnSite(incident.class) && !incident.leaderOnSite && onSiteDueAt && now.getTime() < Date.parse(onSiteDueAt)) {
    throw new RuleViolationError('incident.leader-not-on-site', '较大、重大事件须区主要负责人到场处置后方可结案（或待到场时限届满、逾期记录在案后结案）');
  }
  const at = now.toISOString();
  return { ...incident, status: 'closed', closed: { at, by: actor, outcome }, updatedAt: at };
}

/**
 * The district's 2-hour clock as the record says it: it runs from the instant the incident became
 * larger or major — the report, or a later reclassification — and is met by the leader's arrival.
 * `escalation` counts how often the incident rose into those classes: a clock cancelled by a
 * lowering and started again by a new rise is another clock (another watch key).
 */
export function onSiteClock(incident: Incident): { escalation: number; triggeredAt: string; metAt?: string } | undefined {
  if (!needsLeaderOnSite(incident.class)) return undefined;
  let escalation = 0;
  let triggeredAt = incident.reportedAt;
  let previous: IncidentClass | undefined;
  for (const c of incident.classifications) {
    if (needsLeaderOnSite(c.class) && (previous === undefined || !needsLeaderOnSite(previous))) {
      escalation += 1;
      triggeredAt = c.at;
    }
    previous = c.class;
  }
  return { escalation, triggeredAt, ...(incident.leaderOnSite ? { metAt: incident.leaderOnSite.arrivedAt } : {}) };
}
