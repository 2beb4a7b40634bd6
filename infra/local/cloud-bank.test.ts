import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HttpBankGateway } from '../../shared/adapters/http-bank-gateway.ts';
import { secretFromEnv } from '../../shared/adapters/secrets-manager-secret.ts';
import { idempotencyKeyOf, verifyCallback, type PaymentInstruction } from '../../shared/payments/bank-gateway.ts';
import { startLocalCloud, type LocalCloud } from './cloud.ts';
import { CDK_OUT } from './synth.ts';

/**
 * The bank in the local cloud, from the synthesized template: the payments construct declares the
 * bank's callback secret (a generated Secrets Manager secret whose ARN the functions get in
 * BANK_CALLBACK_SECRET_ARN) and the worker's BANK_URL, which the local cloud points at the simulator.
 */
/** A copy of the synthesized app whose functions name no callback secret (a template without payments). */
function cdkOutWithoutBankSecret(dir: string): string {
  const out = join(dir, 'cdk.out');
  mkdirSync(out);
  for (const entry of readdirSync(CDK_OUT)) {
    if (entry.startsWith('asset.')) symlinkSync(join(CDK_OUT, entry), join(out, entry));
    else if (entry === 'manifest.json' || entry.endsWith('.template.json')) cpSync(join(CDK_OUT, entry), join(out, entry));
  }
  for (const file of readdirSync(out).filter((entry) => entry.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(out, file), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { Environment?: { Variables: Record<string, unknown> } } }> };
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type === 'AWS::Lambda::Function') delete resource.Properties.Environment?.Variables.BANK_CALLBACK_SECRET_ARN;
    }
    writeFileSync(join(out, file), JSON.stringify(template));
  }
  return out;
}

const instruction = (agreementId: string): PaymentInstruction => ({
  idempotencyKey: idempotencyKeyOf({ agreementId, payeeGroup: 'household', instalment: 1 }),
  payee: { accountNumber: '6222020200112233445', accountName: '张三', bankName: '中国工商银行' },
  amountFen: 12_345_600,
  currency: 'CNY',
  purpose: `征地补偿款（协议 ${agreementId}，第 1 期）`,
});

describe('the local cloud starts the bank when the template has the callback secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-bank-'));
  const dataDir = join(dir, 'data');
  const tablePrefix = `bank${Math.random().toString(36).slice(2, 7)}-`;
  let cloud: LocalCloud;
  let secret: string;
  const start = (fresh: boolean) =>
    startLocalCloud({ dataDir, cdkOut: CDK_OUT, fresh, clockStart: new Date('2026-09-01T01:00:00Z'), dynamodb: { endpoint: inject('dynamodbEndpoint'), tablePrefix }, log: () => undefined });

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    cloud = await start(true);
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the functions the bank and Secrets Manager endpoints, and the secret through the SDK', async () => {
    expect(cloud.bank).toBeDefined();
    expect(process.env.BANK_URL).toBe(cloud.bank!.endpoint);
    expect(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER).toBe(cloud.endpoints.secrets);
    const named = cloud.blueprint.functions.map((f) => f.environment.BANK_CALLBACK_SECRET_ARN).find(Boolean);
    expect(cloud.blueprint.secrets.map((s) => s.arn)).toContain(named);
    expect(process.env.BANK_CALLBACK_SECRET_ARN).toBe(named);
    secret = await secretFromEnv('BANK_CALLBACK_SECRET_ARN')();
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('settles on virtual time and calls our API back, signed with that secret at the virtual instant', async () => {
    const gateway = new HttpBankGateway({ endpoint: process.env.BANK_URL! });
    await expect(gateway.instruct(instruction('agr-local-1'))).resolves.toMatchObject({ status: 'accepted' });
    expect(cloud.bank!.transfers()).toEqual([]);
    await cloud.advance(2_000);
    expect(cloud.bank!.transfers()).toEqual([expect.objectContaining({ idempotencyKey: 'agr-local-1:household:1', amountFen: 12_345_600 })]);
    const [attempt] = cloud.bank!.callbackAttempts();
    // Our API verified the signature and knows no such payment: 404, and the bank redelivers later.
    expect(attempt!.outcome).toBe(404);
    const verified = await verifyCallback(attempt!.headers, attempt!.body, { secret, now: cloud.clock.now(), nonces: { seen: async () => false } });
    expect(verified).toMatchObject({ idempotencyKey: 'agr-local-1:household:1', status: 'settled' });
    expect(Number(attempt!.headers['x-bank-timestamp'])).toBeGreaterThanOrEqual(Date.parse('2026-09-01T01:00:00Z'));
  });

  it('switches faults and lists the ledger through /local/bank/*', async () => {
    const key = instruction('agr-local-2').idempotencyKey;
    const set = await fetch(`${cloud.apiUrl}/local/bank/faults`, { method: 'POST', body: JSON.stringify({ forced: { [key]: { reject: 'account-closed' } } }) });
    expect(set.status).toBe(200);
    const wrong = await fetch(`${cloud.apiUrl}/local/bank/faults`, { method: 'POST', body: JSON.stringify({ probabilities: { timeout: 2 } }) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'local.bank-faults-invalid' } });
    await new HttpBankGateway({ endpoint: cloud.bank!.endpoint }).instruct(instruction('agr-local-2'));
    await cloud.advance(2_000);
    expect(cloud.bank!.payments().find((p) => p.idempotencyKey === key)).toMatchObject({ status: 'rejected', reason: { code: 'account-closed' } });
    const ledger = (await (await fetch(`${cloud.apiUrl}/local/bank/transfers`)).json()) as { transfers: Array<{ idempotencyKey: string }> };
    expect(ledger.transfers.map((t) => t.idempotencyKey)).toEqual(['agr-local-1:household:1']);
  });

  it('keeps the secret and the ledger across a restart', async () => {
    await cloud.stop();
    cloud = await start(false);
    expect(process.env.BANK_URL).toBe(cloud.bank!.endpoint);
    expect(await secretFromEnv('BANK_CALLBACK_SECRET_ARN')()).toBe(secret);
    expect(cloud.bank!.transfers().map((t) => t.idempotencyKey)).toEqual(['agr-local-1:household:1']);
    // A stop and a whole cloud start: the budget of the hook that starts one (a busy CI machine once took over 60 s).
  }, 180_000);
});

describe('the local cloud from a template whose functions name no callback secret', () => {
  let cloud: LocalCloud;
  const dir = mkdtempSync(join(tmpdir(), 'cloud-no-bank-'));
  beforeAll(async () => {
    cloud = await startLocalCloud({
      dataDir: join(dir, 'data'),
      cdkOut: cdkOutWithoutBankSecret(dir),
      fresh: true,
      dynamodb: { endpoint: inject('dynamodbEndpoint'), tablePrefix: `nobank${Math.random().toString(36).slice(2, 7)}-` },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts no bank and says so at /local/bank/*', async () => {
    expect(cloud.bank).toBeUndefined();
    const response = await fetch(`${cloud.apiUrl}/local/bank/transfers`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'local.no-bank' } });
  });
});
