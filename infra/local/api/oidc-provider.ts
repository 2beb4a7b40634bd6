/**
 * The development identity provider's OpenID Connect endpoints: authorization code + PKCE (S256
 * only) for a browser client such as the console, served by the local HTTP API under the
 * issuer's path (`/local-idp/...`) on whatever host and port the request arrived.
 *
 * The sign-in page lets the person pick any agency and jurisdiction: it is for development only,
 * and signs nothing the JWT authorizer would not also accept from `npm run token`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExtraHandler } from './http-api.ts';
import { checkTokenRequest, DEFAULT_TOKEN_TTL_SECONDS, TokenRequestError, type LocalIdp } from './local-idp.ts';
import { PAGE_CSP, renderMessagePage, renderSignInPage, SIGN_IN_CSS } from './sign-in-page.ts';

/** An authorization code is redeemed by the client's own redirect within seconds. */
export const CODE_TTL_MS = 60_000;
const MAX_FORM_BYTES = 16 * 1024;
const MAX_NAME_LENGTH = 64;
/** RFC 7636 §4.1/§4.2: 43–128 unreserved characters; an S256 challenge is base64url. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CODE_CHALLENGE = /^[A-Za-z0-9\-_]{43,128}$/;
/** The console may be served from another local port than the issuer's (a dev server). */
const LOCAL_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The OAuth parameters of an authorization request that the sign-in form carries through. */
const AUTHORIZE_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope', 'nonce'] as const;

export interface OidcProviderOptions {
  /** The configured issuer (the tokens' `iss`); its path is where the endpoints live. */
  issuer: string;
  /** Client ids allowed to sign in: the API's JWT audiences. */
  audiences: readonly string[];
  /** Scopes the access token carries: every scope the API's routes require. */
  scopes: readonly string[];
  /** The clock authorization codes expire on (ms). The REAL clock unless a test injects one. */
  now?: () => number;
  tokenTtlSeconds?: number;
}

interface AuthorizationRequest {
  clientId: string;
  redirectUri: URL;
  state: string | undefined;
  codeChallenge: string;
  scope: string;
  nonce: string | undefined;
}

interface Identity {
  agency: string;
  jurisdiction: string;
  user: string;
  name: string | undefined;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | undefined;
  identity: Identity;
  authTimeSeconds: number;
  expiresAt: number;
  used: boolean;
}

/** RFC 6749 §5.2. Descriptions are ASCII, as the RFC requires; the client words the person's message. */
type TokenError = { error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type'; error_description: string };

/** An `extraHandlers` entry serving the issuer's discovery documents and its sign-in flow. */
export function oidcProviderHandler(idp: LocalIdp, options: OidcProviderOptions): ExtraHandler {
  const now = options.now ?? Date.now;
  const ttlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const base = new URL(options.issuer).pathname.replace(/\/$/, '');
  const paths = {
    configuration: `${base}/.well-known/openid-configuration`,
    jwks: `${base}/.well-known/jwks.json`,
    authorize: `${base}/authorize`,
    token: `${base}/token`,
    logout: `${base}/logout`,
    stylesheet: `${base}/sign-in.css`,
  };
  const codes = new Map<string, IssuedCode>();

  const forgetExpiredCodes = () => {
    for (const [code, issued] of codes) if (issued.expiresAt <= now()) codes.delete(code);
  };

  /** Validates an authorization request; a refusal is a Chinese sentence for the error page. */
  const checkAuthorization = (params: URLSearchParams, req: IncomingMessage): AuthorizationRequest | { refused: string } => {
    const repeated = AUTHORIZE_PARAMETERS.find((name) => params.getAll(name).length > 1);
    if (repeated) return { refused: `参数 ${repeated} 重复。` };
    const clientId = params.get('client_id') ?? '';
    if (!options.audiences.includes(clientId)) return { refused: `未知的客户端（client_id）：${clientId || '未提供'}。` };
    const redirectUri = checkedRedirect(params.get('redirect_uri'), req);
    if (!redirectUri) return { refused: '回调地址（redirect_uri）无效：必须是本机或本站点的 http(s) 地址，且不含片段。' };
    if (params.get('response_type') !== 'code') return { refused: '仅支持授权码模式（response_type=code）。' };
    if (params.get('code_challenge_method') !== 'S256') return { refused: '必须使用 PKCE，且 code_challenge_method 为 S256。' };
    const codeChallenge = params.get('code_challenge') ?? '';
    if (!CODE_CHALLENGE.test(codeChallenge)) return { refused: 'code_challenge 必须是 43–128 个字符的 base64url 字符串。' };
    return { clientId, redirectUri, state: params.get('state') ?? undefined, codeChallenge, scope: params.get('scope') ?? '', nonce: params.get('nonce') ?? undefined };
  };

  const hiddenFields = (request: AuthorizationRequest): Record<string, string> => ({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri.href,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    scope: request.scope,
    ...(request.state === undefined ? {} : { state: request.state }),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
  });

  const authorize = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<true> => {
    const params = req.method === 'POST' ? await readForm(req) : query;
    if (!params) return sendPage(res, 400, errorPage('请求无效', '表单格式不正确或过大。', paths.stylesheet));
    const request = checkAuthorization(params, req);
    if ('refused' in request) return sendPage(res, 400, errorPage('登录请求无效', request.refused, paths.stylesheet));
    const form = { action: paths.authorize, stylesheet: paths.stylesheet, hidden: hiddenFields(request) };
    if (req.method === 'GET') return sendPage(res, 200, renderSignInPage(form));

    const identity: Identity = {
      agency: params.get('agency') ?? '',
      jurisdiction: params.get('jurisdiction') ?? '',
      user: (params.get('user') ?? '').trim(),
      name: (params.get('name') ?? '').trim() || undefined,
    };
    const refusal = identityRefusal(identity);
    if (refusal) return sendPage(res, 400, renderSignInPage({ ...form, chosen: { ...identity, name: identity.name ?? '' }, error: refusal }));

    forgetExpiredCodes();
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri.href,
      codeChallenge: request.codeChallenge,
      scope: request.scope,
      nonce: request.nonce,
      identity,
      authTimeSeconds: Math.floor(Date.now() / 1000),
      expiresAt: now() + CODE_TTL_MS,
      used: false,
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    if (request.state !== undefined) target.searchParams.set('state', request.state);
    return redirect(res, target);
  };

  const token = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const refuse = (error: TokenError['error'], description: string) => ({ status: 400, body: { error, error_description: description } satisfies TokenError });
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return refuse('invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const params = await readForm(req);
    if (!params) return refuse('invalid_request', 'the body is too large');
    const names = ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier'] as const;
    const repeated = names.find((name) => params.getAll(name).length > 1);
    if (repeated) return refuse('invalid_request', `${repeated} is repeated`);
    const missing = names.find((name) => !params.get(name));
    if (missing === 'grant_type') return refuse('invalid_request', 'grant_type is required');
    if (params.get('grant_type') !== 'authorization_code') return refuse('unsupported_grant_type', 'only authorization_code is supported');
    if (missing) return refuse('invalid_request', `${missing} is required`);
    const clientId = params.get('client_id')!;
    if (!options.audiences.includes(clientId)) return refuse('invalid_client', 'unknown client_id');
    const verifier = params.get('code_verifier')!;
    if (!CODE_VERIFIER.test(verifier)) return refuse('invalid_request', 'code_verifier must be 43-128 unreserved characters');

    const code = params.get('code')!;
    const issued = codes.get(code);
    if (!issued) return refuse('invalid_grant', 'the authorization code is unknown or expired');
    // Spent by any redemption, right or wrong: a code yields tokens once, and a guessed verifier gets one try.
    const firstUse = !issued.used;
    issued.used = true;
    if (!firstUse) return refuse('invalid_grant', 'the authorization code has already been used');
    if (issued.expiresAt <= now()) {
      codes.delete(code);
      return refuse('invalid_grant', 'the authorization code has expired');
    }
    if (issued.clientId !== clientId) return refuse('invalid_grant', 'the authorization code was issued to another client');
    if (issued.redirectUri !== params.get('redirect_uri')) return refuse('invalid_grant', 'redirect_uri differs from the authorization request');
    if (!sameText(s256(verifier), issued.codeChallenge)) return refuse('invalid_grant', 'code_verifier does not match the code_challenge');

    const { identity } = issued;
    const accessToken = await idp.issueToken({ ...identity, scopes: options.scopes, ttlSeconds }, { issuer: options.issuer, audience: clientId });
    const idToken = await idp.issueIdToken(
      { ...identity, ttlSeconds, authTime: issued.authTimeSeconds, ...(issued.nonce === undefined ? {} : { nonce: issued.nonce }) },
      { issuer: options.issuer, clientId },
    );
    const requested = issued.scope.split(' ').filter((scope) => scope === 'openid' || scope === 'profile');
    return {
      status: 200,
      body: { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: ttlSeconds, scope: [...new Set([...requested, ...options.scopes])].join(' ') },
    };
  };

  const logout = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): true => {
    const clientId = query.get('client_id');
    if (clientId !== null && !options.audiences.includes(clientId)) {
      return sendPage(res, 400, errorPage('退出请求无效', `未知的客户端（client_id）：${clientId}。`, paths.stylesheet));
    }
    const back = query.get('post_logout_redirect_uri');
    if (back === null) {
      return sendPage(res, 200, renderMessagePage({ title: '已退出', message: '您已退出登录。', stylesheet: paths.stylesheet, link: { href: '/console/', text: '返回控制台' } }));
    }
    const target = checkedRedirect(back, req);
    if (!target) return sendPage(res, 400, errorPage('退出请求无效', '退出后的跳转地址（post_logout_redirect_uri）无效。', paths.stylesheet));
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(res, target);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const cors = corsHeaders(req.headers.origin);
    switch (url.pathname) {
      case paths.configuration:
      case paths.jwks: {
        if (method === 'OPTIONS') return preflight(res, cors, 'GET');
        if (method !== 'GET') return notAllowed(res, 'GET, OPTIONS');
        const document =
          url.pathname === paths.jwks
            ? idp.jwks()
            : idp.openIdConfiguration(options.issuer, { endpointBase: `${requestOrigin(req, options.issuer)}${base}`, scopes: options.scopes });
        res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(document));
        return true;
      }
      case paths.token: {
        if (method === 'OPTIONS') return preflight(res, cors, 'POST');
        if (method !== 'POST') return notAllowed(res, 'POST, OPTIONS');
        const { status, body } = await token(req);
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', ...cors }).end(JSON.stringify(body));
        return true;
      }
      case paths.authorize:
        if (method !== 'GET' && method !== 'POST') return notAllowed(res, 'GET, POST');
        return authorize(req, res, url.searchParams);
      case paths.logout:
        if (method !== 'GET') return notAllowed(res, 'GET');
        return logout(req, res, url.searchParams);
      case paths.stylesheet:
        if (method !== 'GET') return notAllowed(res, 'GET');
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }).end(SIGN_IN_CSS);
        return true;
      default:
        return false;
    }
  };
}

/** Why an identity cannot sign in (Chinese), or undefined. */
function identityRefusal(identity: Identity): string | undefined {
  if (!identity.user) return '请填写用户名。';
  if (identity.user.length > MAX_NAME_LENGTH || (identity.name?.length ?? 0) > MAX_NAME_LENGTH) return `用户名和显示名称不得超过 ${MAX_NAME_LENGTH} 个字符。`;
  try {
    checkTokenRequest(identity);
    return undefined;
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    return `${error.chinese}。`;
  }
}

/**
 * A redirect URI the browser may be sent to with a code: http(s), no credentials or fragment,
 * on the host the request came to or on this machine (development only).
 */
function checkedRedirect(raw: string | null, req: IncomingMessage): URL | undefined {
  if (!raw || raw.includes('#')) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return undefined;
  return url.hostname === requestHostname(req) || LOCAL_HOSTS.has(url.hostname) ? url : undefined;
}

function requestHostname(req: IncomingMessage): string | undefined {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** `http://<Host header>`, so a browser that reached us on port 4100 is given port-4100 URLs. */
function requestOrigin(req: IncomingMessage, issuer: string): string {
  const host = req.headers.host;
  // The local HTTP API speaks plain HTTP; a Host header that is not a host[:port] is ignored.
  return host && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `http://${host}` : new URL(issuer).origin;
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin && LOCAL_ORIGIN.test(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : { vary: 'origin' };
}

function preflight(res: ServerResponse, cors: Record<string, string>, method: string): true {
  const allowed = 'access-control-allow-origin' in cors ? { 'access-control-allow-methods': `${method}, OPTIONS`, 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' } : {};
  res.writeHead(204, { ...cors, ...allowed }).end();
  return true;
}

function notAllowed(res: ServerResponse, allow: string): true {
  res.writeHead(405, { allow, 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Method Not Allowed' }));
  return true;
}

function redirect(res: ServerResponse, target: URL): true {
  res.writeHead(302, { location: target.href, 'cache-control': 'no-store' }).end();
  return true;
}

/** Answers a page and tells the HTTP server the request was handled. */
function sendPage(res: ServerResponse, status: number, html: string): true {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .end(html);
  return true;
}

function errorPage(title: string, message: string, stylesheet: string): string {
  return renderMessagePage({ title, message, stylesheet });
}

/** The form body, or undefined when it is larger than a sign-in form can be. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: leaving the loop early would destroy the socket before the answer.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_FORM_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
