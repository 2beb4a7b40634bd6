import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { piiVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { newId } from '../../../shared/ids.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { SocialSecurityDeps } from '../app/social-security.ts';
import { TableSocialSecurityRepository } from './social-security-repository.ts';

export function socialSecurityDepsOn(table: Table, ports: { pii: PiiVault; newId: (nowMs: number) => string }): SocialSecurityDeps {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    payableAgreements: kernel.payableAgreements,
    paymentStatus: kernel.paymentStatus,
    householdSteps: kernel.householdSteps,
    inbox: kernel.inbox,
    records: new TableSocialSecurityRepository(table),
    ...ports,
  };
}

/** No paged lists: a household's persons are few and read whole. */
export function socialSecurityDeps(): SocialSecurityDeps {
  return socialSecurityDepsOn(casesTableFromEnv(), { pii: piiVaultFromEnv(), newId });
}
