import { caseStoreFromEnv } from '../../../shared/aws/case-store.ts';
import { kmsClient } from '../../../shared/adapters/aws/kms.ts';
import { loadConfig } from '../../../shared/config.ts';
import { newId } from '../../../shared/ids.ts';
import { KmsPiiVault } from '../../../shared/pii/kms-pii-vault.ts';
import type { RegistrationDeps } from '../app/use-cases.ts';

export function registrationDeps(): RegistrationDeps {
  const keys = loadConfig('PII_KEY_ID', 'PII_MAC_KEY_ID');
  return {
    store: caseStoreFromEnv(),
    pii: new KmsPiiVault(kmsClient(), { encryptionKeyId: keys.PII_KEY_ID, macKeyId: keys.PII_MAC_KEY_ID }),
    newId,
  };
}
