import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';

/**
 * The secret that signs paging cursors, derived by the KMS HMAC key once per cold start: the key
 * never leaves KMS, every instance derives the same secret, and a request costs no KMS call.
 */
export function kmsCursorSecret(kms: KMSClient, keyId: string): () => Promise<Buffer> {
  return async () => {
    const out = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('land-exprop/paging-cursor/v1') }));
    if (!out.Mac) throw new Error('KMS returned no MAC for the cursor secret');
    return Buffer.from(out.Mac);
  };
}
