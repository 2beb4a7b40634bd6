import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { findJurisdiction, isAgencyId } from '../../../shared/agencies.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawGet } from '../../../test/support/raw-http.ts';
import { LocalHttpApi } from './http-api.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp } from './local-idp.ts';
import { CODE_TTL_MS, oidcProviderHandler } from './oidc-provider.ts';
import { escapeHtml, PAGE_CSP } from './sign-in-page.ts';

const OTHER_CLIENT = 'second-console';
const API_SCOPE = 'expropriation/api';
const jwt = { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE, OTHER_CLIENT] };
/** The clock the codes expire on; tokens keep the real one. */
let codeNow = Date.now();

let keyDir: string;
let api: LocalHttpApi;
let base: string;
let redirectUri: string;

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'oidc-'));
  const idp = await LocalIdp.load(keyDir);
  api = new LocalHttpApi({
    routes: [{ routeKey: 'GET /who', authorization: 'JWT', scopes: [API_SCOPE], invoke: async (event) => ({ claims: 'authorizer' in event.requestContext ? event.requestContext.authorizer.jwt.claims : null }) }],
    jwt,
    idp,
    now: () => Date.now(),
    log: () => {},
    extraHandlers: [oidcProviderHandler(idp, { issuer: DEFAULT_ISSUER, audiences: jwt.audience, scopes: [API_SCOPE], now: () => codeNow })],
  });
  base = (await api.listen(0)).url;
  redirectUri = `${base}/console/callback`;
});
afterAll(async () => {
  await api.close();
  await rm(keyDir, { recursive: true, force: true });
});
beforeEach(() => {
  codeNow = Date.now();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeParams(challenge: string, overrides: Record<string, string | null> = {}): URLSearchParams {
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: DEFAULT_AUDIENCE,
    redirect_uri: redirectUri,
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: `openid ${API_SCOPE}`,
    nonce: 'n-456',
    ...overrides,
  };
  return new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null));
}

const identity = { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', user: 'zhang.san', name: '张三' };

/** Submits the sign-in form as a browser would: the hidden OAuth fields plus the chosen identity. */
function submit(params: URLSearchParams, chosen: Record<string, string> = identity): Promise<Response> {
  const body = new URLSearchParams([...params, ...Object.entries(chosen)]);
  return fetch(`${base}/local-idp/authorize`, { method: 'POST', body, redirect: 'manual' });
}

async function codeFor(challenge: string, overrides: Record<string, string | null> = {}): Promise<string> {
  const res = await submit(authorizeParams(challenge, overrides));
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}

function redeem(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: redirectUri, client_id: DEFAULT_AUDIENCE, ...fields });
  return fetch(`${base}/local-idp/token`, { method: 'POST', body, headers });
}

describe('sign-in page', () => {
  it('answers an accessible Chinese form under a CSP without inline script or style', async () => {
    const { challenge } = pkce();
    const res = await fetch(`${base}/local-idp/authorize?${authorizeParams(challenge)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(PAGE_CSP).toBe("default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<main>[\s\S]*<h1>登录<\/h1>[\s\S]*<\/main>/);
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<link rel="stylesheet" href="/local-idp/sign-in.css">');
    // Every visible control is labelled.
    const controls = [...html.matchAll(/<(?:select|input)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(controls).toEqual(['agency', 'jurisdiction', 'user', 'name']);
    for (const id of controls) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<option value="land-bureau">市国土资源局</option>');
    expect(html).toContain('<option value="yongzhou/lengshuitan/meiwan">永州市 › 冷水滩区 › 梅湾街道</option>');
    expect(html).toContain('<form method="post" action="/local-idp/authorize">');
    for (const [name, value] of authorizeParams(challenge)) expect(html).toContain(`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
  });

  it('escapes what the request puts in the page', async () => {
    const { challenge } = pkce();
    const html = await (await fetch(`${base}/local-idp/authorize?${authorizeParams(challenge, { state: '"><script>alert(1)</script>' })}`)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
  });

  it('serves its stylesheet from the IdP path', async () => {
    const res = await fetch(`${base}/local-idp/sign-in.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await res.text()).toContain('main{');
  });

  it.each([
    ['an unknown client_id', { client_id: 'stranger' }, '未知的客户端'],
    ['no client_id', { client_id: null }, '未知的客户端'],
    ['a redirect_uri on another host', { redirect_uri: 'https://evil.example/cb' }, '回调地址'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, '回调地址'],
    ['a redirect_uri with a fragment', { redirect_uri: 'http://127.0.0.1:4100/cb#x' }, '回调地址'],
    ['a redirect_uri with credentials', { redirect_uri: 'http://u:p@127.0.0.1:4100/cb' }, '回调地址'],
    ['response_type token', { response_type: 'token' }, 'response_type=code'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'S256'],
    ['no PKCE at all', { code_challenge: null, code_challenge_method: null }, 'S256'],
    ['a short code_challenge', { code_challenge: 'abc' }, 'code_challenge'],
    ['a code_challenge that is not base64url', { code_challenge: `${'a'.repeat(42)}+` }, 'code_challenge'],
  ])('refuses %s with a 400 page and no redirect', async (_, overrides, message) => {
    const { challenge } = pkce();
    const params = authorizeParams(challenge, overrides);
    for (const res of [await fetch(`${base}/local-idp/authorize?${params}`, { redirect: 'manual' }), await submit(params)]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
      const html = await res.text();
      expect(html).toContain('<h1>登录请求无效</h1>');
      expect(html).toContain(message);
      expect(html).not.toContain('<form');
    }
  });

  it('accepts a redirect_uri on the host the request came to', async () => {
    const { challenge } = pkce();
    const page = await rawGet(`${base}/local-idp/authorize?${authorizeParams(challenge, { redirect_uri: 'https://console.example.test/cb' })}`, { host: 'console.example.test' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="https://console.example.test/cb"');
  });

  it.each([
    [{ ...identity, jurisdiction: 'yongzhou/lengshuitan/meiwan' }, '市国土资源局不在梅湾街道这一级履职。'],
    [{ ...identity, agency: 'township', jurisdiction: 'yongzhou' }, '乡镇人民政府 / 街道办事处不在永州市这一级履职。'],
    [{ ...identity, agency: 'mayor' }, '未知机构。'],
    [{ ...identity, jurisdiction: 'yongzhou/nowhere' }, '未知辖区。'],
    [{ ...identity, user: '   ' }, '请填写用户名。'],
    [{ ...identity, name: '名'.repeat(65) }, '不得超过 64 个字符'],
  ])('answers %j on the page with the reason, keeping the choices', async (chosen, message) => {
    const { challenge } = pkce();
    const res = await submit(authorizeParams(challenge), chosen);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toContain(`role="alert"`);
    expect(html).toContain(message);
    if (isAgencyId(chosen.agency)) expect(html).toContain(`<option value="${chosen.agency}" selected>`);
    if (findJurisdiction(chosen.jurisdiction)) expect(html).toContain(`<option value="${chosen.jurisdiction}" selected>`);
    expect(html).toContain(`<input type="hidden" name="code_challenge" value="${challenge}">`);
  });
});

describe('authorization code flow', () => {
  it('signs a person in: code and state to the redirect URI, tokens the API accepts', async () => {
    const { verifier, challenge } = pkce();
    const signedIn = await submit(authorizeParams(challenge));
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const location = new URL(signedIn.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-123');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await redeem({ code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 12 * 3600, scope: `openid ${API_SCOPE}` });

    const access = decodeJwt(tokens.access_token as string);
    expect(access).toMatchObject({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, sub: 'zhang.san', name: '张三', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', scope: API_SCOPE });
    const id = decodeJwt(tokens.id_token as string);
    expect(id).toMatchObject({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, sub: 'zhang.san', name: '张三', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', nonce: 'n-456' });
    expect(Math.abs((id.auth_time as number) - Date.now() / 1000)).toBeLessThan(60);

    const who = await fetch(`${base}/who`, { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ claims: { sub: 'zhang.san', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' } });
  });

  it('names the person after the user id when no display name is given, and omits what the request did not ask', async () => {
    const { verifier, challenge } = pkce();
    const res = await submit(authorizeParams(challenge, { state: null, nonce: null, scope: null }), { ...identity, name: '' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.has('state')).toBe(false);
    const tokens = (await (await redeem({ code: location.searchParams.get('code')!, code_verifier: verifier })).json()) as Record<string, string>;
    expect(tokens.scope).toBe(API_SCOPE);
    expect(decodeJwt(tokens.id_token!)).not.toHaveProperty('nonce');
    expect(decodeJwt(tokens.access_token!).name).toBe('zhang.san');
  });

  it('gives a second client an access token for itself', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge, { client_id: OTHER_CLIENT });
    const tokens = (await (await redeem({ code, code_verifier: verifier, client_id: OTHER_CLIENT })).json()) as Record<string, string>;
    expect(decodeJwt(tokens.access_token!).aud).toBe(OTHER_CLIENT);
    expect(decodeJwt(tokens.id_token!).aud).toBe(OTHER_CLIENT);
  });

  async function refusal(res: Response): Promise<{ status: number; body: unknown }> {
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json');
    return { status: res.status, body: await res.json() };
  }

  it('refuses a wrong code_verifier, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect(await refusal(await redeem({ code, code_verifier: pkce().verifier }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' },
    });
    expect(await refusal(await redeem({ code, code_verifier: verifier }))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code used twice', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(200);
    expect(await refusal(await redeem({ code, code_verifier: verifier }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the authorization code has already been used' },
    });
  });

  it(`refuses a code after ${CODE_TTL_MS / 1000} s, and accepts it just before`, async () => {
    const late = pkce();
    const lateCode = await codeFor(late.challenge);
    const inTime = pkce();
    const inTimeCode = await codeFor(inTime.challenge);
    codeNow += CODE_TTL_MS - 1;
    expect((await redeem({ code: inTimeCode, code_verifier: inTime.verifier })).status).toBe(200);
    codeNow += 1;
    expect(await refusal(await redeem({ code: lateCode, code_verifier: late.verifier }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the authorization code has expired' },
    });
  });

  it.each([
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:9/elsewhere' }, 'invalid_grant'],
    ['another (known) client', { client_id: OTHER_CLIENT }, 'invalid_grant'],
    ['an unknown client_id', { client_id: 'stranger' }, 'invalid_client'],
    ['an unknown code', { code: 'no-such-code' }, 'invalid_grant'],
    ['another grant type', { grant_type: 'refresh_token' }, 'unsupported_grant_type'],
    ['no code_verifier', { code_verifier: '' }, 'invalid_request'],
    ['a code_verifier too short', { code_verifier: 'short' }, 'invalid_request'],
  ])('refuses %s', async (_, overrides, error) => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const fields = Object.fromEntries(Object.entries({ code, code_verifier: verifier, ...overrides }).filter(([, v]) => v !== ''));
    expect(await refusal(await redeem(fields))).toMatchObject({ status: 400, body: { error } });
  });

  it('refuses a form larger than a sign-in can need, and still answers', async () => {
    const body = new URLSearchParams({ grant_type: 'authorization_code', padding: 'x'.repeat(20_000) });
    expect(await refusal(await fetch(`${base}/local-idp/token`, { method: 'POST', body }))).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'the body is too large' },
    });
    const page = await fetch(`${base}/local-idp/authorize`, { method: 'POST', body });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('表单格式不正确或过大');
  });

  it('refuses a JSON body', async () => {
    const res = await fetch(`${base}/local-idp/token`, { method: 'POST', body: JSON.stringify({ grant_type: 'authorization_code' }), headers: { 'content-type': 'application/json' } });
    expect(await refusal(res)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('CORS for a console on another local port', () => {
  it('answers the token endpoint’s preflight for a local origin only', async () => {
    const local = await fetch(`${base}/local-idp/token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:4100', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(local.status).toBe(204);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4100');
    expect(local.headers.get('access-control-allow-methods')).toContain('POST');
    expect(local.headers.get('access-control-allow-headers')).toBe('content-type');

    const foreign = await fetch(`${base}/local-idp/token`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets a local origin read the token response and the discovery documents', async () => {
    const { verifier, challenge } = pkce();
    const res = await redeem({ code: await codeFor(challenge), code_verifier: verifier }, { origin: 'http://localhost:5173' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    for (const path of ['openid-configuration', 'jwks.json']) {
      const doc = await fetch(`${base}/local-idp/.well-known/${path}`, { headers: { origin: 'http://localhost:5173' } });
      expect(doc.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
  });
});

describe('discovery', () => {
  it('points the endpoints at the host the browser used, and keeps the configured issuer', async () => {
    const { status, headers, body } = await rawGet(`${base}/local-idp/.well-known/openid-configuration`, { host: 'localhost:4100' });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toMatchObject({
      issuer: DEFAULT_ISSUER,
      authorization_endpoint: 'http://localhost:4100/local-idp/authorize',
      token_endpoint: 'http://localhost:4100/local-idp/token',
      end_session_endpoint: 'http://localhost:4100/local-idp/logout',
      jwks_uri: 'http://localhost:4100/local-idp/.well-known/jwks.json',
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile', API_SCOPE],
    });
  });

  it('serves the key set the tokens are signed with', async () => {
    const { keys } = (await (await fetch(`${base}/local-idp/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    const { verifier, challenge } = pkce();
    const tokens = (await (await redeem({ code: await codeFor(challenge), code_verifier: verifier })).json()) as Record<string, string>;
    const header = JSON.parse(Buffer.from(tokens.access_token!.split('.')[0]!, 'base64url').toString()) as { kid: string };
    expect(keys.map((k) => k.kid)).toEqual([header.kid]);
  });
});

describe('logout', () => {
  it('says the person has signed out, with a link back', async () => {
    const res = await fetch(`${base}/local-idp/logout`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const html = await res.text();
    expect(html).toContain('<h1>已退出</h1>');
    expect(html).toContain('<a href="/console/">返回控制台</a>');
  });

  it('sends the browser back to a checked post_logout_redirect_uri, with its state', async () => {
    const res = await fetch(`${base}/local-idp/logout?post_logout_redirect_uri=${encodeURIComponent('http://127.0.0.1:4100/console/')}&state=s1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:4100/console/?state=s1');
  });

  it('never redirects to an unchecked URI', async () => {
    const res = await fetch(`${base}/local-idp/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('routing', () => {
  it('leaves other paths to the API and refuses other methods', async () => {
    expect((await fetch(`${base}/local-idp/nothing-here`)).status).toBe(404);
    const put = await fetch(`${base}/local-idp/token`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST, OPTIONS');
  });
});
