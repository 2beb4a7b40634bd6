import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from './aws-cli.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './net.ts';
import { generateSecretString, secretArn, startSecretsLocal, type SecretsLocal } from './secrets-local.ts';

const hasAwsCli = !spawnSync('aws', ['--version']).error;
if (!hasAwsCli) console.warn('aws CLI not on PATH: skipping the AWS CLI check of the local Secrets Manager');

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

describe('local Secrets Manager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-local-test-'));
  const stateFile = join(dir, 'secrets.json');
  let server: SecretsLocal;
  let client: SecretsManagerClient;
  const name = 'Payments-BankCallbackSecret';
  const arn = secretArn(name);

  beforeAll(async () => {
    server = await startSecretsLocal({ stateFile });
    server.createSecret({ name, generate: { PasswordLength: 48, ExcludePunctuation: true } });
    server.createSecret({ name: 'fixed', secretString: 'given-in-the-template' });
    client = new SecretsManagerClient({ endpoint: server.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GetSecretValue by ARN, name and partial ARN with the generated value', async () => {
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:Payments-BankCallbackSecret-[0-9a-f]{6}$/);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(byArn).toMatchObject({ ARN: arn, Name: name, VersionStages: ['AWSCURRENT'] });
    expect(byArn.SecretString).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(byArn.CreatedDate).toBeInstanceOf(Date);
    for (const SecretId of [name, arn.slice(0, -7)]) {
      expect((await client.send(new GetSecretValueCommand({ SecretId }))).SecretString).toBe(byArn.SecretString);
    }
    expect(server.secretValue(arn)).toBe(byArn.SecretString);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'fixed' }))).SecretString).toBe('given-in-the-template');
  });

  // The CLI signs the body's hash without sending it as x-amz-content-sha256, unlike the SDK.
  it.skipIf(!hasAwsCli)('answers aws secretsmanager get-secret-value', async () => {
    const got = await awsCli(['secretsmanager', 'get-secret-value', '--secret-id', arn, '--endpoint-url', server.endpoint, '--output', 'json']);
    expect(got.stderr).toBe('');
    expect((JSON.parse(got.stdout) as { SecretString: string }).SecretString).toBe(server.secretValue(name));
  });

  it('describes a secret with its current version', async () => {
    const described = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    const { VersionId } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(described).toMatchObject({ ARN: arn, Name: name, VersionIdsToStages: { [VersionId!]: ['AWSCURRENT'] } });
  });

  it('answers ResourceNotFoundException (400) for an unknown secret, version or stage', async () => {
    for (const input of [{ SecretId: 'missing' }, { SecretId: `${arn}x` }, { SecretId: arn, VersionStage: 'AWSPREVIOUS' }, { SecretId: arn, VersionId: 'not-a-version' }]) {
      const refused = await client.send(new GetSecretValueCommand(input)).catch((error: unknown) => error as { name: string; $metadata: { httpStatusCode: number } });
      expect([(refused as { name: string }).name, (refused as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 400]);
    }
  });

  it('refuses a bad signature, an unknown access key and an unsigned request', async () => {
    const wrongSecret = new SecretsManagerClient({ endpoint: server.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'guessed' }, maxAttempts: 1 });
    const unknownKey = new SecretsManagerClient({ endpoint: server.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'stranger', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      await expect(wrongSecret.send(new GetSecretValueCommand({ SecretId: arn }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
      await expect(unknownKey.send(new GetSecretValueCommand({ SecretId: arn }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
    const unsigned = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: arn }),
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('keeps the secrets in a 0600 file: a restart keeps a generated value, a changed fixed value is replaced', async () => {
    const before = server.secretValue(name);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const restarted = await startSecretsLocal({ stateFile });
    const again = new SecretsManagerClient({ endpoint: restarted.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      restarted.createSecret({ name, generate: { PasswordLength: 48, ExcludePunctuation: true } });
      restarted.createSecret({ name: 'fixed', secretString: 'edited-in-the-template' });
      expect((await again.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe(before);
      expect((await again.send(new GetSecretValueCommand({ SecretId: 'fixed' }))).SecretString).toBe('edited-in-the-template');
    } finally {
      again.destroy();
      await restarted.stop();
    }
  });

  it('generates what GenerateSecretString asks for: length, exclusions, each type, a JSON template', async () => {
    const { RandomPassword } = await client.send(new GetRandomPasswordCommand({ PasswordLength: 12, ExcludeNumbers: true, ExcludeCharacters: 'aeiouAEIOU' }));
    expect(RandomPassword).toHaveLength(12);
    expect(RandomPassword).not.toMatch(/[0-9aeiouAEIOU]/);
    for (let i = 0; i < 20; i++) {
      // Four characters, four types required: each type exactly once.
      const four = generateSecretString({ PasswordLength: 4 });
      expect([/[a-z]/, /[A-Z]/, /[0-9]/, PUNCTUATION].map((type) => type.test(four))).toEqual([true, true, true, true]);
    }
    expect(generateSecretString()).toHaveLength(32);
    expect(() => generateSecretString({ PasswordLength: 3 })).toThrow(/too short/);
    expect(() => generateSecretString({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })).toThrow(/nothing to generate/);
    const json = server.createSecret({ name: 'db', generate: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password', PasswordLength: 20 } });
    const value = JSON.parse(server.secretValue(json.ARN)) as { username: string; password: string };
    expect(value.username).toBe('app');
    expect(value.password).toHaveLength(20);
  });
});
