import { ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

export const INCIDENT_CLASSES = ['general', 'larger', 'major'] as const;
export type IncidentClass = (typeof INCIDENT_CLASSES)[number];

/**
 * What makes an incident general, larger or major. The seed names the classes but not their
 * criteria (§五(三)): they are data the leading group office keeps, versioned, and each
 * classification records the version it was made under.
 */
export interface IncidentCriteria {
  /** 1, 2, …: each revision is kept; a classification names the one it was made under. */
  revision: number;
  criteria: Array<{ id: string; class: IncidentClass; zh: string }>;
  updatedBy: Identity;
  updatedAt: string;
}

export function criterionOf(criteria: IncidentCriteria, id: string) {
  return criteria.criteria.find((c) => c.id === id);
}

/** The next version of the criteria; ids are unique and every class has at least one criterion. */
export function reviseCriteria(current: IncidentCriteria | undefined, criteria: IncidentCriteria['criteria'], actor: Identity, now: Date): IncidentCriteria {
  const ids = criteria.map((c) => c.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ValidationError('incident.criterion-duplicate', `分级标准编号重复：${duplicate}`);
  const missing = INCIDENT_CLASSES.filter((cls) => !criteria.some((c) => c.class === cls));
  if (missing.length > 0) throw new ValidationError('incident.criteria-incomplete', `每一级事件至少须有一条标准，缺：${missing.join('、')}`);
  return { revision: (current?.revision ?? 0) + 1, criteria, updatedBy: actor, updatedAt: now.toISOString() };
}
