import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet } from '../../../test/support/raw-http.ts';
import { consoleSiteHandler } from './console-site.ts';
import { LocalHttpApi } from './http-api.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp } from './local-idp.ts';

const INDEX = '<!doctype html><html lang="zh-CN"><title>控制台</title><script type="module" src="./app-3F7KQ2ZA.js"></script></html>';
const EVIDENCE = 'http://127.0.0.1:3002';
let dir: string;
let api: LocalHttpApi;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'console-site-'));
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'dist/index.html'), INDEX);
  await writeFile(join(dir, 'dist/app-3F7KQ2ZA.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside the build');
  const idp = await LocalIdp.load(join(dir, 'idp'));
  const site = (folder: string) => consoleSiteHandler({ dir: folder, issuer: DEFAULT_ISSUER, clientId: DEFAULT_AUDIENCE, scope: 'openid expropriation/api', evidenceOrigin: EVIDENCE });
  api = new LocalHttpApi({
    routes: [],
    jwt: { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE] },
    idp,
    now: () => Date.now(),
    log: () => {},
    extraHandlers: [site(join(dir, 'dist'))],
  });
  base = (await api.listen(0)).url;
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

describe('console site', () => {
  it('redirects /console to /console/ and serves index.html there, never cached, under the console CSP', async () => {
    const redirect = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const res = await fetch(`${base}/console/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ${EVIDENCE};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await fetch(`${base}/console/app-3F7KQ2ZA.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers the console’s own routes with index.html, and a missing asset with 404', async () => {
    expect(await (await fetch(`${base}/console/projects/p-1`)).text()).toBe(INDEX);
    expect((await fetch(`${base}/console/app-MISSING1.js`)).status).toBe(404);
  });

  it('serves nothing outside the build folder', async () => {
    for (const path of ['/console/..%2fsecret.txt', '/console/%2e%2e/secret.txt', '/console/%E0%A4%A']) {
      const res = await rawGet(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the build');
    }
  });

  it('answers config.json with the IdP endpoints on the host the browser used', async () => {
    const res = await rawGet(`${base}/console/config.json`, { host: '127.0.0.1:4100' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(res.body)).toEqual({
      apiBase: '',
      issuer: DEFAULT_ISSUER,
      clientId: DEFAULT_AUDIENCE,
      scope: 'openid expropriation/api',
      authorizationEndpoint: 'http://127.0.0.1:4100/local-idp/authorize',
      tokenEndpoint: 'http://127.0.0.1:4100/local-idp/token',
      endSessionEndpoint: 'http://127.0.0.1:4100/local-idp/logout',
    });
  });

  it('says in Chinese that the console is not built yet', async () => {
    const unbuilt = new LocalHttpApi({
      routes: [],
      jwt: { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE] },
      idp: await LocalIdp.load(join(dir, 'idp')),
      now: () => Date.now(),
      log: () => {},
      extraHandlers: [consoleSiteHandler({ dir: join(dir, 'no-build'), issuer: DEFAULT_ISSUER, clientId: DEFAULT_AUDIENCE, scope: 'openid' })],
    });
    const url = (await unbuilt.listen(0)).url;
    try {
      const res = await fetch(`${url}/console/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('控制台尚未构建');
    } finally {
      await unbuilt.close();
    }
  });

  it('leaves other paths alone', async () => {
    expect((await fetch(`${base}/consoles`)).status).toBe(404);
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(405);
  });
});
