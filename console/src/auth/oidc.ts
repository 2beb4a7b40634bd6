/**
 * Sign-in with OpenID Connect: authorization code with PKCE (RFC 7636), the flow a browser app
 * without a secret must use. Tokens live in sessionStorage — one tab, gone when it closes — and
 * never in a URL: the code that comes back in the query string is exchanged and removed at once.
 */
import type { ConsoleConfig } from '../config.ts';

export interface Session {
  accessToken: string;
  idToken?: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  /** The console route to return to after signing in. */
  returnTo: string;
}

const SESSION_KEY = 'console.session';
const PENDING_KEY = 'console.sign-in';

interface Endpoints {
  authorization: string;
  token: string;
  endSession?: string;
}

async function endpointsOf(config: ConsoleConfig): Promise<Endpoints> {
  if (config.authorizationEndpoint && config.tokenEndpoint) {
    return { authorization: config.authorizationEndpoint, token: config.tokenEndpoint, ...(config.endSessionEndpoint ? { endSession: config.endSessionEndpoint } : {}) };
  }
  const response = await fetch(`${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`无法读取身份提供方的配置（HTTP ${response.status}）`);
  const discovery = (await response.json()) as { authorization_endpoint: string; token_endpoint: string; end_session_endpoint?: string };
  return { authorization: discovery.authorization_endpoint, token: discovery.token_endpoint, ...(discovery.end_session_endpoint ? { endSession: discovery.end_session_endpoint } : {}) };
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** The console's own address (without query or fragment): where the identity provider sends people back. */
const redirectUri = (): string => `${location.origin}${location.pathname}`;

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (!stored) return null;
  const session = JSON.parse(stored) as Session;
  // A minute's margin: a request made just before expiry must not fail midway.
  if (session.expiresAt - 60_000 < Date.now()) {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
  return session;
}

let leaving = false;

/**
 * Leaves for the identity provider's sign-in page — once per page: when a token expires, every
 * call that was in flight answers 401 at once, and a second sign-in would overwrite the first's
 * state and verifier while the first redirect is already under way.
 */
export async function signIn(config: ConsoleConfig): Promise<void> {
  if (leaving) return;
  leaving = true;
  try {
    const endpoints = await endpointsOf(config);
    const pending: Pending = { state: randomString(16), verifier: randomString(32), nonce: randomString(16), returnTo: location.hash };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))));
    const url = new URL(endpoints.authorization);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: redirectUri(),
      scope: config.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url.toString());
  } catch (error) {
    // The provider could not be reached: a later attempt may.
    leaving = false;
    throw error;
  }
}

/**
 * Finishes a sign-in when the identity provider has sent the person back with a code: checks the
 * state, exchanges the code with the PKCE verifier, stores the session and clears the URL.
 * Returns null when the page was not opened by a sign-in.
 */
export async function completeSignIn(config: ConsoleConfig): Promise<Session | null> {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const error = query.get('error');
  if (!code && !error) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as Pending | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  // The state first: an answer this page did not ask for (a crafted link) shows none of its text.
  if (!pending || query.get('state') !== pending.state) throw new Error('登录请求已失效（state 不符），请重新登录');
  if (error) throw new Error(`身份提供方拒绝登录：${query.get('error_description') ?? error}`);
  const endpoints = await endpointsOf(config);
  const response = await fetch(endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: pending.verifier }),
  });
  const tokens = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || !tokens.access_token) throw new Error(`登录失败：${tokens.error_description ?? tokens.error ?? `HTTP ${response.status}`}`);
  const session: Session = { accessToken: tokens.access_token, ...(tokens.id_token ? { idToken: tokens.id_token } : {}), expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/** Forgets the tokens, then ends the identity provider's session where it offers that. */
export async function signOut(config: ConsoleConfig): Promise<void> {
  sessionStorage.removeItem(SESSION_KEY);
  const endpoints = await endpointsOf(config).catch(() => undefined);
  if (!endpoints?.endSession) {
    location.assign(redirectUri());
    return;
  }
  const url = new URL(endpoints.endSession);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  location.assign(url.toString());
}
