import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { piiVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { kmsClient } from '../../../shared/adapters/aws/kms.ts';
import { newId } from '../../../shared/ids.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { RegistrationDeps } from '../app/use-cases.ts';
import { TableRegistrationRepository } from './registration-repository.ts';

export function registrationDepsOn(table: Table, ports: { pii: PiiVault; newId: (nowMs: number) => string }): RegistrationDeps {
  return { ...caseKernel(table), registrations: new TableRegistrationRepository(table), ...ports };
}

export function registrationDeps(): RegistrationDeps {
  const kms = kmsClient();
  return registrationDepsOn(casesTableFromEnv(cursorSealerFromEnv(kms)), { pii: piiVaultFromEnv(kms), newId });
}
