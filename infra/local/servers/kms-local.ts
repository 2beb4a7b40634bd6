/**
 * A small KMS server speaking KMS's own protocol (JSON 1.1, `X-Amz-Target: TrentService.<Action>`)
 * so `@aws-sdk/client-kms` works unchanged. Enough for per-field encryption of personal ID numbers
 * and keyed-hash lookups: symmetric keys (AES-256-GCM, encryption context bound as AAD) and
 * HMAC_256 keys. Key material is kept in an optional state file (mode 0600) so ciphertexts stay
 * decryptable across restarts. It is a stand-in: no key policies, grants, rotation or deletion.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { answerJson, AwsJsonError, jsonInput } from './aws-json.ts';
import { closeServer, listen, LOCAL_ACCOUNT_ID, LOCAL_REGION, partitionOf, readBody, type LocalServer } from './net.ts';

export type KmsKeySpec = 'SYMMETRIC_DEFAULT' | 'HMAC_256';

/** What DescribeKey returns (the fields KMS sends that we model). */
export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  /** Epoch seconds, as the JSON protocol carries timestamps. */
  CreationDate: number;
  Enabled: true;
  Description: string;
  KeyUsage: 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC';
  KeyState: 'Enabled';
  Origin: 'AWS_KMS';
  KeyManager: 'CUSTOMER';
  KeySpec: KmsKeySpec;
  EncryptionAlgorithms?: string[];
  MacAlgorithms?: string[];
}

export interface CreateKeyInput {
  keyId: string;
  spec: KmsKeySpec;
  description?: string;
  /** Alias names, e.g. `alias/personal-id`. */
  aliases?: string[];
}

export interface KmsLocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  region?: string;
  /** JSON file holding key material (written with mode 0600). */
  stateFile?: string;
}

export interface KmsLocal extends LocalServer {
  /** Creates a key with a chosen id; an existing key with that id and spec is kept as is. */
  createKey(input: CreateKeyInput): KeyMetadata;
}

/** Thrown by createKey when a key id exists with another spec. */
export class KeyConflictError extends Error {
  override name = 'KeyConflictError';
}

interface StoredKey {
  keyId: string;
  spec: KmsKeySpec;
  description: string;
  creationDate: number;
  /** base64 of 32 random bytes. */
  material: string;
}

interface State {
  keys: StoredKey[];
  aliases: Record<string, string>;
  /** Epoch seconds each alias was created (absent in state files from before it was kept). */
  aliasDates?: Record<string, number>;
}

/** KMS's list paging: `Limit` (1–1000, default 100) and an opaque `Marker` continuing after an index. */
function page<T>(items: T[], input: Record<string, unknown>): { page: T[]; next?: string } {
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new KmsError('ValidationException', 'Limit must be between 1 and 1000');
  const start = input.Marker === undefined ? 0 : Number(Buffer.from(String(input.Marker), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new KmsError('InvalidMarkerException', 'The marker is not valid');
  const end = start + limit;
  return end < items.length ? { page: items.slice(start, end), next: Buffer.from(String(end)).toString('base64url') } : { page: items.slice(start) };
}

/** An error in KMS's JSON error shape. */
class KmsError extends AwsJsonError {
  override name = 'KmsError';
}

/** Blob layout: magic, key id length (uint16), key id, IV (12), GCM tag (16), ciphertext. */
const MAGIC = Buffer.from('LKMS1');
const MAX_PLAINTEXT = 4096;

const canonicalContext = (context: Record<string, string> | undefined): string =>
  JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function base64Field(input: Record<string, unknown>, name: string, maxBytes: number): Buffer {
  const value = input[name];
  const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0 || bytes.length > maxBytes) {
    throw new KmsError('ValidationException', `${name} must be between 1 and ${maxBytes} bytes`);
  }
  return bytes;
}

/** Starts the KMS server on 127.0.0.1. */
export async function startKmsLocal(options: KmsLocalOptions = {}): Promise<KmsLocal> {
  const region = options.region ?? LOCAL_REGION;
  const arnPrefix = `arn:${partitionOf(region)}:kms:${region}:${LOCAL_ACCOUNT_ID}:`;
  const state: State =
    options.stateFile && existsSync(options.stateFile)
      ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as State)
      : { keys: [], aliases: {} };

  const save = (): void => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const temporary = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, options.stateFile);
  };

  const metadata = (key: StoredKey): KeyMetadata => ({
    AWSAccountId: LOCAL_ACCOUNT_ID,
    KeyId: key.keyId,
    Arn: `${arnPrefix}key/${key.keyId}`,
    CreationDate: key.creationDate,
    Enabled: true,
    Description: key.description,
    KeyUsage: key.spec === 'HMAC_256' ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: key.spec,
    ...(key.spec === 'HMAC_256' ? { MacAlgorithms: ['HMAC_SHA_256'] } : { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }),
  });

  /** Accepts a key id, key ARN, alias name or alias ARN, as KMS does. */
  const resolve = (keyRef: unknown): StoredKey => {
    if (typeof keyRef !== 'string' || keyRef === '') throw new KmsError('ValidationException', 'KeyId is required');
    // arn:partition:kms:region:account:key/<id> or …:alias/<name>
    const ref = keyRef.startsWith('arn:') ? keyRef.split(':').slice(5).join(':') : keyRef;
    const id = ref.startsWith('alias/') ? state.aliases[ref] : ref.replace(/^key\//, '');
    const key = state.keys.find((k) => k.keyId === id);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyRef}' does not exist`);
    return key;
  };

  const requireSpec = (key: StoredKey, spec: KmsKeySpec, action: string): void => {
    if (key.spec !== spec) {
      throw new KmsError('InvalidKeyUsageException', `${metadata(key).Arn} key usage is ${metadata(key).KeyUsage}, not valid for ${action}`);
    }
  };

  function setAlias(name: string, keyId: string): void {
    state.aliases[name] = keyId;
    state.aliasDates = { ...state.aliasDates, [name]: state.aliasDates?.[name] ?? Math.floor(Date.now() / 1000) };
  }

  function createKey(input: CreateKeyInput): KeyMetadata {
    let key = state.keys.find((k) => k.keyId === input.keyId);
    if (key && key.spec !== input.spec) {
      throw new KeyConflictError(`key ${input.keyId} exists as ${key.spec}, not ${input.spec}`);
    }
    if (!key) {
      key = {
        keyId: input.keyId,
        spec: input.spec,
        description: input.description ?? '',
        creationDate: Math.floor(Date.now() / 1000),
        material: randomBytes(32).toString('base64'),
      };
      state.keys.push(key);
    }
    for (const alias of input.aliases ?? []) setAlias(alias, key.keyId);
    save();
    return metadata(key);
  }

  function encrypt(key: StoredKey, plaintext: Buffer, context: Record<string, string> | undefined): Buffer {
    const keyId = Buffer.from(key.keyId);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(keyId.length);
    const header = Buffer.concat([MAGIC, length, keyId]);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(canonicalContext(context))]));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  function decrypt(blob: Buffer, context: Record<string, string> | undefined, keyRef: unknown): { key: StoredKey; plaintext: Buffer } {
    const invalidCiphertext = new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or was encrypted under another key or encryption context');
    if (blob.length < MAGIC.length + 2 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw invalidCiphertext;
    const idEnd = MAGIC.length + 2 + blob.readUInt16BE(MAGIC.length);
    if (blob.length < idEnd + 28) throw invalidCiphertext;
    const keyId = blob.subarray(MAGIC.length + 2, idEnd).toString();
    const key = state.keys.find((k) => k.keyId === keyId);
    if (!key) throw invalidCiphertext;
    if (keyRef !== undefined && resolve(keyRef) !== key) {
      throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
    }
    requireSpec(key, 'SYMMETRIC_DEFAULT', 'Decrypt');
    try {
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), blob.subarray(idEnd, idEnd + 12));
      decipher.setAAD(Buffer.concat([blob.subarray(0, idEnd), Buffer.from(canonicalContext(context))]));
      decipher.setAuthTag(blob.subarray(idEnd + 12, idEnd + 28));
      return { key, plaintext: Buffer.concat([decipher.update(blob.subarray(idEnd + 28)), decipher.final()]) };
    } catch {
      throw invalidCiphertext;
    }
  }

  const mac = (key: StoredKey, message: Buffer): Buffer =>
    createHmac('sha256', Buffer.from(key.material, 'base64')).update(message).digest();

  const requireMacAlgorithm = (input: Record<string, unknown>): void => {
    if (input.MacAlgorithm !== 'HMAC_SHA_256') {
      throw new KmsError('InvalidKeyUsageException', `MacAlgorithm ${String(input.MacAlgorithm)} is not valid for an HMAC_256 key`);
    }
  };

  type Context = Record<string, string> | undefined;
  const actions: Record<string, (input: Record<string, unknown>) => object> = {
    CreateKey(input) {
      const spec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
      const usage = input.KeyUsage ?? (spec === 'HMAC_256' ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT');
      const supported =
        (spec === 'SYMMETRIC_DEFAULT' && usage === 'ENCRYPT_DECRYPT') || (spec === 'HMAC_256' && usage === 'GENERATE_VERIFY_MAC');
      if (!supported) throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} with KeyUsage ${String(usage)} is not supported locally`);
      const description = typeof input.Description === 'string' ? input.Description : '';
      return { KeyMetadata: createKey({ keyId: randomUUID(), spec: spec as KmsKeySpec, description }) };
    },
    CreateAlias(input) {
      const name = String(input.AliasName ?? '');
      if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(name) || name.startsWith('alias/aws/')) {
        throw new KmsError('ValidationException', `Alias ${name} is not valid`);
      }
      if (state.aliases[name]) throw new KmsError('AlreadyExistsException', `An alias with the name ${arnPrefix}${name} already exists`);
      setAlias(name, resolve(input.TargetKeyId).keyId);
      save();
      return {};
    },
    DescribeKey: (input) => ({ KeyMetadata: metadata(resolve(input.KeyId)) }),
    ListKeys(input) {
      const { page: keys, next } = page(state.keys, input);
      return { Keys: keys.map((k) => ({ KeyId: k.keyId, KeyArn: metadata(k).Arn })), Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
    },
    ListAliases(input) {
      const only = input.KeyId === undefined ? undefined : resolve(input.KeyId).keyId;
      const aliases = Object.entries(state.aliases)
        .filter(([, keyId]) => only === undefined || keyId === only)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, keyId]) => {
          const created = state.aliasDates?.[name] ?? state.keys.find((k) => k.keyId === keyId)?.creationDate ?? 0;
          return { AliasName: name, AliasArn: arnPrefix + name, TargetKeyId: keyId, CreationDate: created, LastUpdatedDate: created };
        });
      const { page: listed, next } = page(aliases, input);
      return { Aliases: listed, Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
    },
    Encrypt(input) {
      const key = resolve(input.KeyId);
      requireSpec(key, 'SYMMETRIC_DEFAULT', 'Encrypt');
      const blob = encrypt(key, base64Field(input, 'Plaintext', MAX_PLAINTEXT), input.EncryptionContext as Context);
      return { CiphertextBlob: blob.toString('base64'), KeyId: metadata(key).Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    Decrypt(input) {
      const blob = base64Field(input, 'CiphertextBlob', 6144);
      const { key, plaintext } = decrypt(blob, input.EncryptionContext as Context, input.KeyId);
      return { KeyId: metadata(key).Arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    GenerateDataKey(input) {
      const key = resolve(input.KeyId);
      requireSpec(key, 'SYMMETRIC_DEFAULT', 'GenerateDataKey');
      const size = input.KeySpec === 'AES_256' ? 32 : input.KeySpec === 'AES_128' ? 16 : Number(input.NumberOfBytes);
      if (!Number.isInteger(size) || size < 1 || size > 1024) {
        throw new KmsError('ValidationException', 'Specify KeySpec (AES_256 or AES_128) or NumberOfBytes (1-1024)');
      }
      const dataKey = randomBytes(size);
      return {
        CiphertextBlob: encrypt(key, dataKey, input.EncryptionContext as Context).toString('base64'),
        Plaintext: dataKey.toString('base64'),
        KeyId: metadata(key).Arn,
      };
    },
    GenerateMac(input) {
      const key = resolve(input.KeyId);
      requireSpec(key, 'HMAC_256', 'GenerateMac');
      requireMacAlgorithm(input);
      const value = mac(key, base64Field(input, 'Message', MAX_PLAINTEXT));
      return { Mac: value.toString('base64'), MacAlgorithm: 'HMAC_SHA_256', KeyId: metadata(key).Arn };
    },
    VerifyMac(input) {
      const key = resolve(input.KeyId);
      requireSpec(key, 'HMAC_256', 'VerifyMac');
      requireMacAlgorithm(input);
      const expected = mac(key, base64Field(input, 'Message', MAX_PLAINTEXT));
      const given = base64Field(input, 'Mac', 64);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new KmsError('KMSInvalidMacException', 'The MAC is not valid for the given message and key');
      }
      return { KeyId: metadata(key).Arn, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' };
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    await answerJson(
      response,
      async () => {
        const run = actions[action];
        if (!run) throw new KmsError('UnknownOperationException', `Unknown operation ${target}`);
        return run(jsonInput(await readBody(request)));
      },
      'KMSInternalException',
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  const endpoint = await listen(server, options.port);
  return { endpoint, createKey, stop: () => closeServer(server) };
}
