/**
 * A small Secrets Manager speaking its own protocol (JSON 1.1, `X-Amz-Target:
 * secretsmanager.<Action>`), SigV4-checked, so `@aws-sdk/client-secrets-manager` works unchanged.
 * Enough for the secrets the template declares (the bank's callback HMAC secret): they are created
 * at start with a generated value (GenerateSecretString's rules) or the template's SecretString,
 * and kept in a state file (mode 0600) so a restart keeps them. It is a stand-in: no rotation,
 * versions other than AWSCURRENT, resource policies or deletion.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { answerJson, AwsJsonError, jsonInput } from './aws-json.ts';
import { closeServer, listen, LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, partitionOf, readBody, type LocalServer } from './net.ts';
import { SigV4Error, verifySigV4 } from './sigv4.ts';

/** CloudFormation's GenerateSecretString (also GetRandomPassword's input, less the template keys). */
export interface GenerateSecretString {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  /** A JSON object the generated string is added to, under GenerateStringKey. */
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

export interface CreateSecretInput {
  name: string;
  /** Default: {@link secretArn} of the name (what the blueprint resolves Refs to). */
  arn?: string;
  description?: string;
  /** A fixed value (CloudFormation's SecretString); replaces a stored one that differs. */
  secretString?: string;
  /** Rules for a generated value, made once: an existing secret keeps its value. */
  generate?: GenerateSecretString;
}

/** What DescribeSecret returns (the fields Secrets Manager sends that we model). */
export interface SecretDescription {
  ARN: string;
  Name: string;
  Description?: string;
  /** Epoch seconds, as the JSON protocol carries timestamps. */
  CreatedDate: number;
  LastChangedDate: number;
  VersionIdsToStages: Record<string, string[]>;
}

export interface SecretsLocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  region?: string;
  /** JSON file holding the secrets (written with mode 0600). */
  stateFile?: string;
  /** Secret access key per access key id; default the local cloud's credentials. */
  credentials?: Record<string, string>;
}

export interface SecretsLocal extends LocalServer {
  /** Creates a secret, or keeps the existing one of that name (see {@link CreateSecretInput}). */
  createSecret(input: CreateSecretInput): SecretDescription;
  /** A secret's current value by name or ARN (in-process, for the local cloud's own wiring). */
  secretValue(secretId: string): string;
}

interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  secretString: string;
  versionId: string;
  createdDate: number;
  lastChangedDate: number;
}

interface State {
  secrets: StoredSecret[];
}

/**
 * The ARN of a secret: AWS appends six random characters to the name; locally they are derived
 * from the name, so the blueprint and the server agree without talking.
 */
export function secretArn(name: string, region = LOCAL_REGION): string {
  const suffix = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${LOCAL_ACCOUNT_ID}:secret:${name}-${suffix}`;
}

/** An error in Secrets Manager's JSON error shape. */
class SecretsError extends AwsJsonError {
  override name = 'SecretsError';
}

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
/** The punctuation Secrets Manager draws from. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

// Templates may carry booleans as strings.
const yes = (value: unknown): boolean => value === true || value === 'true';

/** A random string following GenerateSecretString's rules (crypto-random, uniform per class pick). */
export function generateSecretString(rules: GenerateSecretString = {}): string {
  const length = rules.PasswordLength === undefined ? 32 : Number(rules.PasswordLength);
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new SecretsError('InvalidParameterException', 'PasswordLength must be between 1 and 4096');
  const excluded = new Set(rules.ExcludeCharacters ?? '');
  const classes = [
    yes(rules.ExcludeLowercase) ? '' : LOWERCASE,
    yes(rules.ExcludeUppercase) ? '' : UPPERCASE,
    yes(rules.ExcludeNumbers) ? '' : NUMBERS,
    yes(rules.ExcludePunctuation) ? '' : PUNCTUATION,
    yes(rules.IncludeSpace) ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !excluded.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  if (classes.length === 0) throw new SecretsError('InvalidParameterException', 'The character exclusions leave nothing to generate from');
  const pool = classes.join('');
  const pick = (chars: string): string => chars[randomInt(chars.length)]!;
  const requireEach = rules.RequireEachIncludedType === undefined || yes(rules.RequireEachIncludedType);
  if (requireEach && length < classes.length) throw new SecretsError('InvalidParameterException', `PasswordLength ${length} is too short to include each of ${classes.length} character types`);
  const chars = [...(requireEach ? classes.map(pick) : []), ...Array.from({ length: length - (requireEach ? classes.length : 0) }, () => pick(pool))];
  // Fisher–Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The value CloudFormation stores for a GenerateSecretString: plain, or put into the JSON template. */
function generatedValue(rules: GenerateSecretString): string {
  const generated = generateSecretString(rules);
  if (rules.SecretStringTemplate === undefined) return generated;
  if (!rules.GenerateStringKey) throw new SecretsError('InvalidParameterException', 'SecretStringTemplate needs GenerateStringKey');
  const template = JSON.parse(rules.SecretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [rules.GenerateStringKey]: generated });
}

/** SigV4 refusals in the vocabulary of AWS's JSON services (S3 names them differently). */
function signatureError(error: SigV4Error): SecretsError {
  switch (error.code) {
    case 'SignatureDoesNotMatch':
      return new SecretsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    case 'RequestTimeTooSkewed':
      return new SecretsError('InvalidSignatureException', `Signature expired: ${error.details.RequestTime ?? ''} is now earlier or later than the allowed 15 minutes.`);
    case 'InvalidAccessKeyId':
      return new SecretsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'AccessDenied':
      return new SecretsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    default:
      return new SecretsError('IncompleteSignatureException', error.message);
  }
}

/** Starts the Secrets Manager server on 127.0.0.1. */
export async function startSecretsLocal(options: SecretsLocalOptions = {}): Promise<SecretsLocal> {
  const region = options.region ?? LOCAL_REGION;
  const credentials = options.credentials ?? { [LOCAL_CREDENTIALS.accessKeyId]: LOCAL_CREDENTIALS.secretAccessKey };
  const state: State =
    options.stateFile && existsSync(options.stateFile) ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as State) : { secrets: [] };

  const save = (): void => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const temporary = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, options.stateFile);
  };

  const describe = (secret: StoredSecret): SecretDescription => ({
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description ? { Description: secret.description } : {}),
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
  });

  /** Accepts a name, the full ARN, or the ARN without its six-character suffix, as AWS does. */
  const find = (secretId: unknown): StoredSecret => {
    if (typeof secretId !== 'string' || secretId === '') throw new SecretsError('InvalidParameterException', 'SecretId is required');
    const secret = state.secrets.find(
      (s) => s.name === secretId || s.arn === secretId || (secretId.startsWith('arn:') && s.arn.length === secretId.length + 7 && s.arn.startsWith(`${secretId}-`)),
    );
    if (!secret) throw new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  };

  function createSecret(input: CreateSecretInput): SecretDescription {
    const nowSeconds = Math.floor(Date.now() / 1000);
    let secret = state.secrets.find((s) => s.name === input.name);
    if (!secret) {
      secret = {
        name: input.name,
        arn: input.arn ?? secretArn(input.name, region),
        ...(input.description ? { description: input.description } : {}),
        secretString: input.secretString ?? generatedValue(input.generate ?? {}),
        versionId: randomUUID(),
        createdDate: nowSeconds,
        lastChangedDate: nowSeconds,
      };
      state.secrets.push(secret);
    } else if (input.secretString !== undefined && input.secretString !== secret.secretString) {
      // A fixed value changed in the template: CloudFormation would store a new version.
      Object.assign(secret, { secretString: input.secretString, versionId: randomUUID(), lastChangedDate: nowSeconds });
    }
    save();
    return describe(secret);
  }

  const actions: Record<string, (input: Record<string, unknown>) => object> = {
    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const stage = input.VersionStage ?? 'AWSCURRENT';
      if ((input.VersionId !== undefined && input.VersionId !== secret.versionId) || stage !== 'AWSCURRENT') {
        throw new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId or VersionStage.");
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, SecretString: secret.secretString, VersionStages: ['AWSCURRENT'], CreatedDate: secret.lastChangedDate };
    },
    DescribeSecret: (input) => describe(find(input.SecretId)),
    GetRandomPassword: (input) => ({ RandomPassword: generateSecretString(input as GenerateSecretString) }),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    await answerJson(
      response,
      async () => {
        const raw = await readBody(request);
        const bodySha256 = createHash('sha256').update(raw).digest('hex');
        try {
          const verified = verifySigV4(request, { credentials, region, service: 'secretsmanager', now: Date.now, bodySha256 });
          if (verified.payloadHash !== bodySha256) throw new SigV4Error(403, 'SignatureDoesNotMatch', 'the body is not the one signed');
        } catch (error) {
          throw error instanceof SigV4Error ? signatureError(error) : error;
        }
        const run = actions[action];
        if (!run) throw new SecretsError('UnknownOperationException', `Unknown operation ${target}`);
        return run(jsonInput(raw));
      },
      'InternalServiceError',
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  const endpoint = await listen(server, options.port);
  return { endpoint, createSecret, secretValue: (secretId) => find(secretId).secretString, stop: () => closeServer(server) };
}
