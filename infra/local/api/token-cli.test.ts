import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHttpApi } from './http-api.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp } from './local-idp.ts';

const repo = resolve(import.meta.dirname, '../../..');
const node = join(repo, 'node_modules/.bin/node');
const script = join(repo, 'scripts/token.ts');

let keyDir: string;
let api: LocalHttpApi;
let base: string;

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'token-cli-'));
  const idp = await LocalIdp.load(keyDir);
  const routes = [{ routeKey: 'GET /whoami', authorization: 'JWT' as const, invoke: async (event: unknown) => event }];
  api = new LocalHttpApi({ routes, jwt: { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE] }, idp, now: Date.now, log: () => {} });
  base = (await api.listen(0)).url;
});

afterAll(async () => {
  await api.close();
  await rm(keyDir, { recursive: true, force: true });
});

async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [script, '--key-dir', keyDir, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('scripts/token.ts', () => {
  it('prints one line, a token the local HTTP API accepts', async () => {
    const { code, stdout } = await token('--agency', 'township', '--jurisdiction', 'yongzhou/lengshuitan/meiwan', '--user', 'zhao.liu', '--name', '赵六');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const res = await fetch(`${base}/whoami`, { headers: { authorization: `Bearer ${stdout.trim()}` } });
    expect(res.status).toBe(200);
    const event = (await res.json()) as { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } };
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'zhao.liu', name: '赵六', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' });
  });

  it('prints the token and its claims with --json, honouring --ttl', async () => {
    const { code, stdout } = await token('--agency', 'finance', '--jurisdiction', 'yongzhou', '--ttl', '30m', '--json');
    expect(code).toBe(0);
    const { token: jwt, claims } = JSON.parse(stdout) as { token: string; claims: { exp: number; iat: number; aud: string; iss: string } };
    expect(jwt.split('.')).toHaveLength(3);
    // The scope the deployed API's routes require by default (infra/config.ts).
    expect(claims).toMatchObject({ aud: DEFAULT_AUDIENCE, iss: DEFAULT_ISSUER, scope: 'expropriation/api' });
    expect(claims.exp - claims.iat).toBe(1800);
  });

  it('exits 2 on an unknown agency, listing the valid ones', async () => {
    const { code, stdout, stderr } = await token('--agency', 'mayor', '--jurisdiction', 'yongzhou');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown agency "mayor"');
    expect(stderr).toContain('land-bureau');
  });

  it('exits 2 when the agency cannot act in the jurisdiction', async () => {
    const { code, stderr } = await token('--agency', 'land-bureau', '--jurisdiction', 'yongzhou/lengshuitan/meiwan');
    expect(code).toBe(2);
    expect(stderr).toContain('valid jurisdictions for land-bureau: yongzhou, yongzhou/lengshuitan, yongzhou/etdz');
  });

  it('lists agencies and jurisdictions', async () => {
    const { code, stdout } = await token('--list');
    expect(code).toBe(0);
    expect(stdout).toContain('intermediate-court');
    expect(stdout).toContain('yongzhou/lengshuitan/huangyangsi');
  });
});
