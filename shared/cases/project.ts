import { covers, findJurisdiction } from '../agencies.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { Identity } from '../identity.ts';

/** A village group (村民小组) affected by a project, and the township that serves it. */
export interface VillageGroup {
  /** Stable within the project: `g1`, `g2`, … in the order given. */
  id: string;
  name: string;
  village: string;
  township: string;
}

/**
 * Village groups per project: publication opens one posting deadline per group in the notice's
 * transaction, which DynamoDB caps at 100 writes (decision 0015).
 */
export const MAX_VILLAGE_GROUPS = 90;

/** An expropriation project: the case every step of the procedure hangs on. */
export interface Project {
  id: string;
  name: string;
  /** District jurisdiction id (`yongzhou/lengshuitan` or `yongzhou/etdz`). */
  district: string;
  villageGroups: VillageGroup[];
  createdAt: string;
  createdBy: Identity;
}

export interface NewProject {
  name: string;
  district: string;
  villageGroups: Array<{ name: string; village: string; township: string }>;
}

/** Creates a project after checking its geography is coherent: every township in the district. */
export function createProject(id: string, input: NewProject, actor: Identity, now: Date): Project {
  const district = findJurisdiction(input.district);
  if (district?.level !== 'district') {
    throw new ValidationError('project.district-unknown', `未知的区（县）辖区：${input.district}`);
  }
  if (input.villageGroups.length > MAX_VILLAGE_GROUPS) {
    throw new ValidationError('project.too-many-village-groups', `一个项目至多 ${MAX_VILLAGE_GROUPS} 个村民小组，请分项目办理`);
  }
  const seen = new Set<string>();
  const villageGroups = input.villageGroups.map((group, i) => {
    const township = findJurisdiction(group.township);
    if (township?.level !== 'township' || !covers(district.id, township.id)) {
      throw new ValidationError('project.township-outside-district', `乡镇（街道）${group.township} 不属于 ${district.nameZh}`);
    }
    const label = `${group.village}/${group.name}`;
    if (seen.has(label)) throw new ValidationError('project.duplicate-village-group', `村民小组重复：${label}`);
    seen.add(label);
    return { id: `g${i + 1}`, name: group.name, village: group.village, township: township.id };
  });
  return { id, name: input.name, district: district.id, villageGroups, createdAt: now.toISOString(), createdBy: actor };
}

/** Jurisdictions a project lies in: its district and every affected township. */
export function jurisdictionsOf(project: Pick<Project, 'district' | 'villageGroups'>): string[] {
  return [project.district, ...new Set(project.villageGroups.map((g) => g.township))];
}

/** How a village group's case is named to people: 项目名称 村名组名. */
export function groupLabel(project: Pick<Project, 'name'>, group: Pick<VillageGroup, 'village' | 'name'>): string {
  return `${project.name} ${group.village}${group.name}`;
}

/** The village group, which must be in the project and in the acting township's jurisdiction. */
export function villageGroupFor(project: Project, villageGroupId: string, actor: Identity): VillageGroup {
  const group = project.villageGroups.find((g) => g.id === villageGroupId);
  if (!group) throw new ValidationError('posting.village-group-unknown', `项目中没有该村民小组：${villageGroupId}`);
  if (!covers(actor.jurisdiction, group.township)) {
    throw new ForbiddenError('forbidden.jurisdiction', `村民小组 ${group.village}${group.name} 不在本乡镇（街道）辖区`);
  }
  return group;
}

export const projectNotFound = (projectId: string) =>
  new NotFoundError('project.not-found', `征收项目不存在：${projectId}`, { projectId });
