import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp, TokenRejectedError, TokenRequestError } from './local-idp.ts';

const to = { issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
let dir: string;
let idp: LocalIdp;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-idp-'));
  idp = await LocalIdp.load(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('LocalIdp.load', () => {
  it('keeps the key as a private JWK with a kid, readable by the owner only', async () => {
    const file = join(dir, 'signing-key.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: idp.kid });
    expect(jwk.d).toBeTruthy();
  });

  it('reuses the stored key on the next run', async () => {
    const again = await LocalIdp.load(dir);
    expect(again.kid).toBe(idp.kid);
    await expect(again.verify(await idp.issueToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'u' }, to), to)).resolves.toBeTruthy();
  });

  it('gives processes starting together one key', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'local-idp-race-'));
    try {
      const loaded = await Promise.all([LocalIdp.load(fresh), LocalIdp.load(fresh), LocalIdp.load(fresh)]);
      expect(new Set(loaded.map((l) => l.kid)).size).toBe(1);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

describe('issueToken', () => {
  it('puts the agency, jurisdiction and person in the claims', async () => {
    const token = await idp.issueToken(
      { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', user: 'li.si', name: '李四', ttlSeconds: 600 },
      to,
    );
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEFAULT_ISSUER,
      aud: DEFAULT_AUDIENCE,
      sub: 'li.si',
      agency: 'township',
      jurisdiction: 'yongzhou/lengshuitan/meiwan',
      name: '李四',
    });
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: idp.kid });
    expect(claims).not.toHaveProperty('scope');
  });

  it('puts the requested scopes in the scope claim, space-separated', async () => {
    const token = await idp.issueToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'u', scopes: ['expropriation/api', 'expropriation/calendar'] }, to);
    expect(decodeJwt(token).scope).toBe('expropriation/api expropriation/calendar');
  });

  it('defaults to a 12-hour token named after the user, each with its own jti', async () => {
    const a = decodeJwt(await idp.issueToken({ agency: 'land-bureau', jurisdiction: 'yongzhou/etdz', user: 'wang.wu' }, to));
    const b = decodeJwt(await idp.issueToken({ agency: 'land-bureau', jurisdiction: 'yongzhou/etdz', user: 'wang.wu' }, to));
    expect(a.exp! - a.iat!).toBe(12 * 3600);
    expect(a.name).toBe('wang.wu');
    expect(a.jti).not.toBe(b.jti);
  });

  it.each([
    [{ agency: 'mayor', jurisdiction: 'yongzhou' }, /未知机构.*unknown agency "mayor".*land-bureau/],
    [{ agency: 'finance', jurisdiction: 'yongzhou/nowhere' }, /未知辖区.*unknown jurisdiction "yongzhou\/nowhere"/],
    [{ agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan/meiwan' }, /市国土资源局.*township.*yongzhou\/lengshuitan, yongzhou\/etdz/],
    [{ agency: 'township', jurisdiction: 'yongzhou' }, /works at township level/],
  ])('refuses %j', async (request, expected) => {
    const issuing = idp.issueToken({ ...request, user: 'u' }, to);
    await expect(issuing).rejects.toThrow(TokenRequestError);
    await expect(issuing).rejects.toThrow(expected);
  });

  it('keeps the Chinese half of a refusal apart for pages that speak Chinese only', async () => {
    const issuing = idp.issueToken({ agency: 'township', jurisdiction: 'yongzhou', user: 'u' }, to);
    await expect(issuing).rejects.toMatchObject({ chinese: '乡镇人民政府 / 街道办事处不在永州市这一级履职' });
    await expect(issuing).rejects.toThrow(/^乡镇人民政府 \/ 街道办事处不在永州市这一级履职 \/ agency "township" works at township level/);
  });

  it('refuses a non-positive lifetime', async () => {
    await expect(idp.issueToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'u', ttlSeconds: 0 }, to)).rejects.toThrow(TokenRequestError);
  });
});

describe('issueIdToken', () => {
  it('speaks to the client about the person, echoing the nonce', async () => {
    const token = await idp.issueIdToken(
      { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', user: 'li.si', name: '李四', nonce: 'n-1', authTime: 1_900_000_000, ttlSeconds: 300 },
      { issuer: DEFAULT_ISSUER, clientId: 'console' },
    );
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: DEFAULT_ISSUER, aud: 'console', sub: 'li.si', name: '李四', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan', nonce: 'n-1', auth_time: 1_900_000_000 });
    expect(claims.exp! - claims.iat!).toBe(300);
    await expect(idp.verify(token, { issuer: DEFAULT_ISSUER, audience: 'console' })).resolves.toBeTruthy();
  });

  it('has no nonce when the request had none, and refuses a misfit identity', async () => {
    const claims = decodeJwt(await idp.issueIdToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'u' }, { issuer: DEFAULT_ISSUER, clientId: 'console' }));
    expect(claims).not.toHaveProperty('nonce');
    expect(claims.name).toBe('u');
    await expect(idp.issueIdToken({ agency: 'finance', jurisdiction: 'yongzhou/etdz', user: 'u' }, { issuer: DEFAULT_ISSUER, clientId: 'console' })).rejects.toThrow(TokenRequestError);
  });
});

describe('verify', () => {
  async function signed(payload: Record<string, unknown>, kid = idp.kid): Promise<string> {
    const jwk = JSON.parse(await readFile(join(dir, 'signing-key.json'), 'utf8')) as JWK;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(await importJWK(jwk, 'RS256'));
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts its own token for any configured audience', async () => {
    const token = await idp.issueToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'u' }, to);
    await expect(idp.verify(token, { issuer: DEFAULT_ISSUER, audience: ['other', DEFAULT_AUDIENCE] })).resolves.toMatchObject({ agency: 'finance' });
  });

  it('accepts client_id when there is no aud, as API Gateway does', async () => {
    const token = await signed({ iss: DEFAULT_ISSUER, client_id: DEFAULT_AUDIENCE, exp: now() + 60 });
    await expect(idp.verify(token, to)).resolves.toMatchObject({ client_id: DEFAULT_AUDIENCE });
  });

  it.each([
    ['expired', { iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: now() - 5 }, 'the token has expired'],
    ['not yet valid', { iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: now() + 600, nbf: now() + 300 }, 'the token is not valid yet'],
    ['issued in the future', { iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: now() + 600, iat: now() + 300 }, 'the token was issued in the future'],
    ['without exp', { iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE }, 'the token does not have an expiry'],
    ['for another issuer', { iss: 'https://elsewhere', aud: DEFAULT_AUDIENCE, exp: now() + 60 }, 'the token does not have a valid issuer'],
    ['for another audience', { iss: DEFAULT_ISSUER, aud: 'other', exp: now() + 60 }, 'the token does not have a valid audience'],
    ['with client_id ignored because aud is present', { iss: DEFAULT_ISSUER, aud: 'other', client_id: DEFAULT_AUDIENCE, exp: now() + 60 }, 'the token does not have a valid audience'],
  ])('rejects a token %s', async (_, payload, description) => {
    const rejected = idp.verify(await signed(payload), to);
    await expect(rejected).rejects.toThrow(TokenRejectedError);
    await expect(rejected).rejects.toMatchObject({ description });
  });

  it('rejects a token whose kid it does not know', async () => {
    const token = await signed({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: now() + 60 }, 'someone-else');
    await expect(idp.verify(token, to)).rejects.toMatchObject({ description: 'the token does not have a known key id' });
  });

  it('rejects a token signed by another key under its kid', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'local-idp-other-'));
    try {
      await LocalIdp.load(otherDir);
      const jwk = JSON.parse(await readFile(join(otherDir, 'signing-key.json'), 'utf8')) as JWK;
      const forged = await new SignJWT({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: now() + 60 })
        .setProtectedHeader({ alg: 'RS256', kid: idp.kid })
        .sign(await importJWK(jwk, 'RS256'));
      await expect(idp.verify(forged, to)).rejects.toMatchObject({ description: 'the token signature is invalid' });
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('rejects garbage', async () => {
    await expect(idp.verify('not.a.jwt', to)).rejects.toThrow(TokenRejectedError);
  });
});

describe('discovery documents', () => {
  it('publishes the public key only', () => {
    const { keys } = idp.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: idp.kid, alg: 'RS256', use: 'sig' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(secret);
  });

  it('points the OpenID configuration at the issuer’s JWKS and code flow endpoints', () => {
    expect(idp.openIdConfiguration(DEFAULT_ISSUER)).toMatchObject({
      issuer: DEFAULT_ISSUER,
      jwks_uri: `${DEFAULT_ISSUER}/.well-known/jwks.json`,
      authorization_endpoint: `${DEFAULT_ISSUER}/authorize`,
      token_endpoint: `${DEFAULT_ISSUER}/token`,
      end_session_endpoint: `${DEFAULT_ISSUER}/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('puts the endpoints under another base when asked, keeping the issuer', () => {
    const doc = idp.openIdConfiguration(DEFAULT_ISSUER, { endpointBase: 'http://127.0.0.1:4100/local-idp/', scopes: ['expropriation/api'] });
    expect(doc).toMatchObject({ issuer: DEFAULT_ISSUER, token_endpoint: 'http://127.0.0.1:4100/local-idp/token', scopes_supported: ['openid', 'profile', 'expropriation/api'] });
  });
});
