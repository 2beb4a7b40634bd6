import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from './aws-cli.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './net.ts';
import { KeyConflictError, startKmsLocal, type KmsLocal } from './kms-local.ts';

const hasAwsCli = !spawnSync('aws', ['--version']).error;
if (!hasAwsCli) console.warn('aws CLI not on PATH: skipping the AWS CLI checks of the local KMS');

type Output = Record<string, unknown>;
interface Kms {
  via: string;
  call(action: string, input: Output): Promise<Output>;
  close(): void;
}

const BLOB_FIELDS = ['Plaintext', 'CiphertextBlob', 'Message', 'Mac'];

/**
 * Calls KMS with @aws-sdk/client-kms when it is installed, else exactly as that client would
 * (JSON 1.1 over POST, blobs as base64), so both paths see Uint8Array blobs and named errors.
 */
async function kmsClient(endpoint: string): Promise<Kms> {
  const sdkName = '@aws-sdk/client-kms';
  try {
    const sdk = (await import(sdkName)) as Record<string, new (input: object) => object>;
    const client = new sdk.KMSClient!({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }) as {
      send(command: object): Promise<Output>;
      destroy(): void;
    };
    return {
      via: 'sdk',
      call: (action, input) => client.send(new sdk[`${action}Command`]!(input)),
      close: () => client.destroy(),
    };
  } catch {
    return {
      via: 'fetch',
      async call(action, input) {
        const body = Object.fromEntries(
          Object.entries(input).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v]),
        );
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${action}` },
          body: JSON.stringify(body),
        });
        const output = (await response.json()) as Output;
        if (!response.ok) throw Object.assign(new Error(String(output.message)), { name: String(output.__type) });
        for (const field of BLOB_FIELDS) {
          if (typeof output[field] === 'string') output[field] = new Uint8Array(Buffer.from(output[field], 'base64'));
        }
        return output;
      },
      close: () => {},
    };
  }
}

const text = (bytes: unknown): string => Buffer.from(bytes as Uint8Array).toString('utf8');
const bytes = (value: string): Uint8Array => new Uint8Array(Buffer.from(value));

describe('local KMS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-local-test-'));
  const stateFile = join(dir, 'keys.json');
  let server: KmsLocal;
  let kms: Kms;

  beforeAll(async () => {
    server = await startKmsLocal({ stateFile });
    server.createKey({ keyId: 'personal-id', spec: 'SYMMETRIC_DEFAULT', aliases: ['alias/personal-id'] });
    server.createKey({ keyId: 'id-lookup', spec: 'HMAC_256' });
    kms = await kmsClient(server.endpoint);
  });
  afterAll(async () => {
    kms?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes a key by id, ARN and alias', async () => {
    const arn = 'arn:aws:kms:us-east-1:000000000000:key/personal-id';
    for (const KeyId of ['personal-id', arn, 'alias/personal-id']) {
      const { KeyMetadata } = await kms.call('DescribeKey', { KeyId });
      expect(KeyMetadata).toMatchObject({ KeyId: 'personal-id', Arn: arn, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
    }
    await expect(kms.call('DescribeKey', { KeyId: 'missing' })).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('encrypts with a context and decrypts without naming the key', async () => {
    const context = { field: 'idNumber', caseId: 'c-1' };
    const encrypted = await kms.call('Encrypt', { KeyId: 'alias/personal-id', Plaintext: bytes('320102199001011234'), EncryptionContext: context });
    expect(text(encrypted.CiphertextBlob)).not.toContain('320102199001011234');
    const decrypted = await kms.call('Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { caseId: 'c-1', field: 'idNumber' } });
    expect(text(decrypted.Plaintext)).toBe('320102199001011234');
    expect(decrypted.KeyId).toBe('arn:aws:kms:us-east-1:000000000000:key/personal-id');
  });

  it('refuses to decrypt under another context, a tampered blob or a wrong key id', async () => {
    const { CiphertextBlob } = await kms.call('Encrypt', { KeyId: 'personal-id', Plaintext: bytes('secret'), EncryptionContext: { caseId: 'c-1' } });
    const blob = CiphertextBlob as Uint8Array;
    await expect(kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { caseId: 'c-2' } })).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await expect(kms.call('Decrypt', { CiphertextBlob: blob })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    const tampered = new Uint8Array(blob);
    tampered[tampered.length - 1]! ^= 1;
    await expect(kms.call('Decrypt', { CiphertextBlob: tampered, EncryptionContext: { caseId: 'c-1' } })).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    const wrongKey = kms.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { caseId: 'c-1' }, KeyId: 'id-lookup' });
    await expect(wrongKey).rejects.toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('generates and verifies HMAC_SHA_256 MACs, deterministic per key', async () => {
    const input = { KeyId: 'id-lookup', MacAlgorithm: 'HMAC_SHA_256', Message: bytes('320102199001011234') };
    const first = await kms.call('GenerateMac', input);
    const second = await kms.call('GenerateMac', input);
    expect((first.Mac as Uint8Array).length).toBe(32);
    expect(Buffer.from(first.Mac as Uint8Array).equals(Buffer.from(second.Mac as Uint8Array))).toBe(true);
    expect((await kms.call('VerifyMac', { ...input, Mac: first.Mac })).MacValid).toBe(true);
    const other = await kms.call('GenerateMac', { ...input, Message: bytes('320102199001011235') });
    await expect(kms.call('VerifyMac', { ...input, Mac: other.Mac })).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  it('refuses operations a key is not for', async () => {
    await expect(kms.call('Encrypt', { KeyId: 'id-lookup', Plaintext: bytes('x') })).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    const macWithAesKey = kms.call('GenerateMac', { KeyId: 'personal-id', MacAlgorithm: 'HMAC_SHA_256', Message: bytes('x') });
    await expect(macWithAesKey).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('generates an AES-256 data key whose blob decrypts to the same key', async () => {
    const dataKey = await kms.call('GenerateDataKey', { KeyId: 'personal-id', KeySpec: 'AES_256', EncryptionContext: { purpose: 'export' } });
    expect((dataKey.Plaintext as Uint8Array).length).toBe(32);
    const decrypted = await kms.call('Decrypt', { CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { purpose: 'export' } });
    expect(Buffer.from(decrypted.Plaintext as Uint8Array).equals(Buffer.from(dataKey.Plaintext as Uint8Array))).toBe(true);
  });

  it('creates keys through the API too', async () => {
    const { KeyMetadata } = await kms.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const keyId = (KeyMetadata as { KeyId: string }).KeyId;
    expect((await kms.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeySpec: 'HMAC_256', MacAlgorithms: ['HMAC_SHA_256'] });
    await expect(kms.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
  });

  it('keeps an existing key when asked to create it again, and refuses another spec', () => {
    const again = server.createKey({ keyId: 'personal-id', spec: 'SYMMETRIC_DEFAULT' });
    expect(again.KeyId).toBe('personal-id');
    expect(() => server.createKey({ keyId: 'personal-id', spec: 'HMAC_256' })).toThrow(KeyConflictError);
  });

  it('keeps key material in a 0600 file so ciphertexts and MACs survive a restart', async () => {
    const { CiphertextBlob } = await kms.call('Encrypt', { KeyId: 'personal-id', Plaintext: bytes('kept'), EncryptionContext: { a: 'b' } });
    const macInput = { KeyId: 'id-lookup', MacAlgorithm: 'HMAC_SHA_256', Message: bytes('kept') };
    const { Mac } = await kms.call('GenerateMac', macInput);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const restarted = await startKmsLocal({ stateFile });
    const again = await kmsClient(restarted.endpoint);
    try {
      restarted.createKey({ keyId: 'personal-id', spec: 'SYMMETRIC_DEFAULT' });
      const decrypted = await again.call('Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } });
      expect(text(decrypted.Plaintext)).toBe('kept');
      expect((await again.call('VerifyMac', { ...macInput, Mac })).MacValid).toBe(true);
    } finally {
      again.close();
      await restarted.stop();
    }
  });
});

describe('local KMS lists what it holds, as KMS and the AWS CLI see it', () => {
  let kms: KmsLocal;
  let sdk: KMSClient;
  beforeAll(async () => {
    kms = await startKmsLocal({});
    kms.createKey({ keyId: 'pii', spec: 'SYMMETRIC_DEFAULT', aliases: ['alias/personal-id'] });
    kms.createKey({ keyId: 'pii-mac', spec: 'HMAC_256' });
    sdk = new KMSClient({ endpoint: kms.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    sdk?.destroy();
    await kms?.stop();
  });

  it('ListKeys pages with Limit and Marker; ListAliases names alias, ARN and target', async () => {
    const first = await sdk.send(new ListKeysCommand({ Limit: 1 }));
    expect(first).toMatchObject({ Keys: [{ KeyId: 'pii', KeyArn: 'arn:aws:kms:us-east-1:000000000000:key/pii' }], Truncated: true });
    const rest = await sdk.send(new ListKeysCommand({ Marker: first.NextMarker }));
    expect(rest.Keys?.map((k) => k.KeyId)).toEqual(['pii-mac']);
    expect(rest.Truncated).toBe(false);
    const aliases = await sdk.send(new ListAliasesCommand({}));
    expect(aliases.Aliases).toEqual([
      expect.objectContaining({ AliasName: 'alias/personal-id', AliasArn: 'arn:aws:kms:us-east-1:000000000000:alias/personal-id', TargetKeyId: 'pii', CreationDate: expect.any(Date) }),
    ]);
    expect((await sdk.send(new ListAliasesCommand({ KeyId: 'pii-mac' }))).Aliases).toEqual([]);
    await expect(sdk.send(new ListKeysCommand({ Limit: 0 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it.skipIf(!hasAwsCli)('answers aws kms list-keys and list-aliases', async () => {
    const keys = await awsCli(['kms', 'list-keys', '--endpoint-url', kms.endpoint, '--output', 'json']);
    expect(keys.stderr).toBe('');
    expect((JSON.parse(keys.stdout) as { Keys: Array<{ KeyId: string }> }).Keys.map((k) => k.KeyId)).toEqual(['pii', 'pii-mac']);
    const aliases = await awsCli(['kms', 'list-aliases', '--endpoint-url', kms.endpoint, '--output', 'json']);
    expect((JSON.parse(aliases.stdout) as { Aliases: Array<{ AliasName: string }> }).Aliases.map((a) => a.AliasName)).toEqual(['alias/personal-id']);
  });
});
