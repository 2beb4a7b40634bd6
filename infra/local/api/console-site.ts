/**
 * Serves the built console (`console/dist`) under `/console/` from the local HTTP API, as
 * CloudFront serves it from S3 in AWS, and answers its `config.json` from the local cloud's own
 * settings: the API on the same origin, the development IdP's endpoints on the host the browser
 * used (the issuer names port 3000, the local cloud may listen elsewhere).
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { ExtraHandler } from './http-api.ts';
import { PAGE_CSP, renderMessagePage } from './sign-in-page.ts';

export const CONSOLE_PATH = '/console';

export interface ConsoleSiteOptions {
  /** The console build's output folder (index.html, hashed app-*.js / app-*.css). */
  dir: string;
  /** The issuer the console signs in with (the tokens' `iss`). */
  issuer: string;
  /** Its client id: one of the API's JWT audiences. */
  clientId: string;
  /** Scopes the console asks for. */
  scope: string;
  /** Origins besides its own the console reaches: the evidence store's presigned URLs (S3). */
  evidenceOrigin?: string;
}

/** The console's `config.json` (console-context: `apiBase` "" = same origin). */
export interface ConsoleConfig {
  apiBase: string;
  issuer: string;
  clientId: string;
  scope: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};
/** esbuild names assets after their content: such a file never changes under its name. */
const HASHED = /-[A-Za-z0-9]{8,}\.[a-z0-9]+$/;

export function consoleSiteHandler(options: ConsoleSiteOptions): ExtraHandler {
  const root = resolve(options.dir);
  const evidence = options.evidenceOrigin ? ` ${options.evidenceOrigin}` : '';
  // The same policy CloudFront sends in AWS; the IdP is on this origin locally.
  const csp =
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:${evidence}; media-src 'self' blob:${evidence}; ` +
    `frame-src${evidence || " 'none'"}; connect-src 'self'${evidence}; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'`;
  const securityHeaders = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

  return async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://local');
    if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Method Not Allowed' }));
      return true;
    }
    if (pathname === CONSOLE_PATH) {
      res.writeHead(301, { location: `${CONSOLE_PATH}/` }).end();
      return true;
    }
    if (pathname === `${CONSOLE_PATH}/config.json`) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...securityHeaders }).end(req.method === 'HEAD' ? undefined : JSON.stringify(consoleConfig(req, options)));
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(CONSOLE_PATH.length + 1)) || 'index.html';
    } catch {
      return notFound(res);
    }
    const file = resolve(root, relative);
    if (file !== root && !file.startsWith(`${root}${sep}`)) return notFound(res);
    // A path without an extension is one of the console's own routes: its page is index.html.
    const page = extname(relative) === '' || relative === 'index.html';
    const served = (await isFile(file)) ? file : page ? join(root, 'index.html') : undefined;
    if (!served) return notFound(res);
    let body: Buffer;
    try {
      body = await readFile(served);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return notBuilt(res, root, `${new URL(options.issuer).pathname.replace(/\/$/, '')}/sign-in.css`);
    }
    const immutable = HASHED.test(served) && !served.endsWith('.html');
    res
      .writeHead(200, {
        'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...securityHeaders,
      })
      .end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** The console's settings for a browser that reached the local cloud through `req`'s Host. */
export function consoleConfig(req: IncomingMessage, options: Pick<ConsoleSiteOptions, 'issuer' | 'clientId' | 'scope'>): ConsoleConfig {
  const host = req.headers.host && /^[A-Za-z0-9.\-[\]:]+$/.test(req.headers.host) ? req.headers.host : new URL(options.issuer).host;
  const idp = `http://${host}${new URL(options.issuer).pathname.replace(/\/$/, '')}`;
  return {
    apiBase: '',
    issuer: options.issuer,
    clientId: options.clientId,
    scope: options.scope,
    authorizationEndpoint: `${idp}/authorize`,
    tokenEndpoint: `${idp}/token`,
    endSessionEndpoint: `${idp}/logout`,
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
  return true;
}

/** The IdP's stylesheet dresses this page too: the console's own is what is missing. */
function notBuilt(res: ServerResponse, root: string, stylesheet: string): true {
  const page = renderMessagePage({
    title: '控制台尚未构建',
    message: `找不到 ${join(root, 'index.html')}。请先构建控制台（console/build.ts 的 buildConsole），再刷新本页。`,
    stylesheet,
  });
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }).end(page);
  return true;
}
