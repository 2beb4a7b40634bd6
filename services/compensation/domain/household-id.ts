import { createHash } from 'node:crypto';

/**
 * A household's id follows from its project, village group and household number (户编号), so the
 * same household entered twice — by hand and by a workbook, or by a retried import — is one record.
 */
export function householdIdOf(projectId: string, villageGroupId: string, householdNumber: string): string {
  const digest = createHash('sha256').update([projectId, villageGroupId, householdNumber.trim().toUpperCase()].join('\u0000')).digest('base64url');
  return `H${digest.replace(/[^0-9A-Za-z]/g, '').slice(0, 25)}`;
}
