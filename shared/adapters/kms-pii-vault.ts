import { DecryptCommand, EncryptCommand, GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { kmsClient } from './aws/kms.ts';
import { loadConfig } from '../config.ts';
import type { PiiVault, ProtectedValue } from '../pii/pii-vault.ts';

/** PiiVault on KMS: a symmetric key encrypts each value; an HMAC key makes the look-up hash. */
export class KmsPiiVault implements PiiVault {
  #kms: KMSClient;
  #keys: { encryptionKeyId: string; macKeyId: string };

  constructor(kms: KMSClient, keys: { encryptionKeyId: string; macKeyId: string }) {
    this.#kms = kms;
    this.#keys = keys;
  }

  async protect(value: string, masked: string, context: Record<string, string>): Promise<ProtectedValue> {
    const [encrypted, mac] = await Promise.all([
      this.#kms.send(new EncryptCommand({ KeyId: this.#keys.encryptionKeyId, Plaintext: Buffer.from(value), EncryptionContext: context })),
      this.mac(value),
    ]);
    return { cipher: Buffer.from(encrypted.CiphertextBlob!).toString('base64'), mac, masked };
  }

  async mac(value: string): Promise<string> {
    const out = await this.#kms.send(new GenerateMacCommand({ KeyId: this.#keys.macKeyId, Message: Buffer.from(value), MacAlgorithm: 'HMAC_SHA_256' }));
    return Buffer.from(out.Mac!).toString('base64url');
  }

  async reveal(cipher: string, context: Record<string, string>): Promise<string> {
    const out = await this.#kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(cipher, 'base64'), EncryptionContext: context }));
    return Buffer.from(out.Plaintext!).toString('utf8');
  }
}

export function piiVaultFromEnv(kms: KMSClient = kmsClient()): KmsPiiVault {
  const keys = loadConfig('PII_KEY_ID', 'PII_MAC_KEY_ID');
  return new KmsPiiVault(kms, { encryptionKeyId: keys.PII_KEY_ID, macKeyId: keys.PII_MAC_KEY_ID });
}

/**
 * Payee bank accounts: sealed like ID numbers but under a key of their own, which the payment
 * worker may decrypt to instruct the bank (the PII key's policy leaves that to the break-glass role).
 */
export function bankAccountVaultFromEnv(kms: KMSClient = kmsClient()): KmsPiiVault {
  const keys = loadConfig('BANK_ACCOUNT_KEY_ID', 'PII_MAC_KEY_ID');
  return new KmsPiiVault(kms, { encryptionKeyId: keys.BANK_ACCOUNT_KEY_ID, macKeyId: keys.PII_MAC_KEY_ID });
}
