/**
 * Serves the built console at `/console/` from the local HTTP API, as CloudFront serves it from
 * S3 in AWS: the same files, the same security headers, and a `config.json` written for this
 * cloud (its API is the same origin; its identity provider is the development IdP on this port).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ExtraHandler } from './http-api.ts';

export const CONSOLE_PATH = '/console/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ConsoleSiteOptions {
  /** The console build (`console/build.ts`). */
  dir: string;
  /** The OIDC issuer and client the console signs in with. */
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  /** The evidence store's origin: the browser PUTs uploads and loads thumbnails there. */
  evidenceOrigin: string;
}

/**
 * The headers every console file carries. No inline script or style anywhere (`'self'` only), no
 * framing, and connections only to this origin and the evidence store.
 */
export function consoleSecurityHeaders(evidenceOrigin: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${evidenceOrigin}`,
    `media-src 'self' blob: ${evidenceOrigin}`,
    `frame-src ${evidenceOrigin}`,
    `connect-src 'self' ${evidenceOrigin}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

export function consoleSite(options: ConsoleSiteOptions): ExtraHandler {
  const headers = consoleSecurityHeaders(options.evidenceOrigin);
  const root = normalize(options.dir);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/console') {
      res.writeHead(301, { location: CONSOLE_PATH }).end();
      return true;
    }
    if (!url.pathname.startsWith(CONSOLE_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...headers }).end();
      return true;
    }
    const name = url.pathname.slice(CONSOLE_PATH.length) || 'index.html';
    if (name === 'config.json') {
      // The browser reaches this cloud by whatever host and port it used; so does its sign-in.
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      const idp = `${origin}${new URL(options.issuer).pathname.replace(/\/$/, '')}`;
      const config = {
        apiBase: '',
        issuer: options.issuer,
        clientId: options.clientId,
        scope: ['openid', ...options.scopes].join(' '),
        authorizationEndpoint: `${idp}/authorize`,
        tokenEndpoint: `${idp}/token`,
        endSessionEndpoint: `${idp}/logout`,
      };
      res.writeHead(200, { 'content-type': TYPES['.json']!, 'cache-control': 'no-cache', ...headers }).end(JSON.stringify(config));
      return true;
    }
    const file = normalize(join(root, name));
    if (!file.startsWith(root + sep)) {
      res.writeHead(404, headers).end();
      return true;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      const missing = name === 'index.html' ? '控制台尚未构建：运行 npm start（会先构建控制台）或 node console/build.ts' : '没有该文件';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(missing);
      return true;
    }
    // Hashed bundles never change; the page and its configuration are checked every time.
    const cache = /-[A-Z0-9]{8}\.(js|css)$/.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream', 'cache-control': cache, ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
