/**
 * The local cloud's OpenID Connect issuer: it stands in for the city's own identity provider, so
 * the local HTTP API can apply the same JWT authorizer rules as API Gateway in AWS.
 *
 * One RS256 key pair is created on first use and kept as a JWK in `<dir>/signing-key.json`
 * (mode 0600; `.local/` is git-ignored). It is a development key: never deploy it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, link, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { AGENCIES, AGENCY_IDS, findJurisdiction, isAgencyId, JURISDICTIONS, type AgencyId } from '../../../shared/agencies.ts';

/** Issuer and audience of the dev stage, which this emulator serves (discovery documents, keys). */
export { DEV_AUDIENCE as DEFAULT_AUDIENCE, DEV_ISSUER as DEFAULT_ISSUER } from '../../config.ts';
/** Key folder, relative to the repository root. */
export const DEFAULT_KEY_DIR = '.local/idp';
/** A working day, so a token minted in the morning lasts until evening. */
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const ALG = 'RS256';
const KEY_FILE = 'signing-key.json';

/** Who the token speaks for. */
export interface TokenRequest {
  agency: string;
  jurisdiction: string;
  /** Person's user id; becomes `sub`. */
  user: string;
  /** Display name; defaults to `user`. */
  name?: string;
  ttlSeconds?: number;
  /** OAuth scopes, as the `scope` claim (space-separated); none: no claim. */
  scopes?: readonly string[];
}

/** Who an ID token speaks for, and the authorization request it answers. */
export interface IdTokenRequest extends Pick<TokenRequest, 'agency' | 'jurisdiction' | 'user' | 'name' | 'ttlSeconds'> {
  /** The authorization request's `nonce`, echoed so the client can tie the token to its request. */
  nonce?: string;
  /** When the person signed in (seconds); default: now. */
  authTime?: number;
}

/** Issuer and audience a token is minted for, or checked against. */
export interface TokenAudience {
  issuer: string;
  /** One audience to mint; when verifying, any of these is accepted. */
  audience: string | readonly string[];
}

/** Claims of a token this issuer mints. */
export interface AgencyClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  agency: AgencyId;
  jurisdiction: string;
  name: string;
  iat: number;
  exp: number;
  jti: string;
  scope?: string;
}

/** A token request names an unknown agency or jurisdiction, or one the agency cannot hold. */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
  /** The Chinese half alone, for a page that speaks Chinese only (the sign-in form). */
  readonly chinese: string;
  constructor(chinese: string, english: string) {
    super(`${chinese} / ${english}`);
    this.chinese = chinese;
  }
}

/**
 * A token the JWT authorizer refuses. `description` is the `error_description` API Gateway puts in
 * its `www-authenticate` header.
 */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
  readonly description: string;
  constructor(description: string, options?: ErrorOptions) {
    super(`token rejected: ${description}`, options);
    this.description = description;
  }
}

export class LocalIdp {
  readonly kid: string;
  readonly #privateKey: CryptoKey;
  readonly #publicKey: CryptoKey;
  readonly #publicJwk: JWK;

  private constructor(kid: string, privateKey: CryptoKey, publicKey: CryptoKey, publicJwk: JWK) {
    this.kid = kid;
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    this.#publicJwk = publicJwk;
  }

  /** Loads the signing key kept in `dir`, creating it on first run. Safe when several processes start together. */
  static async load(dir: string): Promise<LocalIdp> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, KEY_FILE);
    const jwk = (await readJwk(file)) ?? (await createJwk(file));
    const { kty, n, e, kid } = jwk;
    if (kty !== 'RSA' || !n || !e || !kid || !jwk.d) throw new Error(`${file} is not an RSA private JWK with a kid`);
    const publicJwk: JWK = { kty, n, e, kid, alg: ALG, use: 'sig' };
    const privateKey = (await importJWK({ ...jwk, alg: ALG }, ALG)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk, ALG)) as CryptoKey;
    return new LocalIdp(kid, privateKey, publicKey, publicJwk);
  }

  /** Mints a token for a person of an agency acting in a jurisdiction. */
  async issueToken(request: TokenRequest, to: TokenAudience): Promise<string> {
    const agency = checkTokenRequest(request);
    const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new TokenRequestError('有效期必须是正整数秒', `ttlSeconds must be a positive integer, got ${ttl}`);
    const audience = typeof to.audience === 'string' ? to.audience : to.audience[0];
    if (!audience) throw new TokenRequestError('缺少受众', 'an audience is required');
    const iat = Math.floor(Date.now() / 1000);
    const scope = request.scopes?.length ? { scope: request.scopes.join(' ') } : {};
    return new SignJWT({ agency, jurisdiction: request.jurisdiction, name: request.name ?? request.user, ...scope })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(to.issuer)
      .setAudience(audience)
      .setSubject(request.user)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(randomUUID())
      .sign(this.#privateKey);
  }

  /**
   * Checks a token as API Gateway's JWT authorizer does: RS256 signature by this issuer's key
   * (`kid` must match), `iss`, `aud` (or `client_id` when there is no `aud`) among the audiences,
   * `exp` in the future, `nbf` and `iat` not in the future. Times are checked against the REAL
   * clock, not the local cloud's virtual one: tokens are about security, virtual time is for legal
   * deadlines, and advancing it must not lock everyone out.
   * @throws TokenRejectedError
   */
  async verify(token: string, expected: TokenAudience): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.#keyFor(header.kid), { algorithms: [ALG] }));
    } catch (error) {
      throw rejection(error);
    }
    const nowSeconds = Date.now() / 1000;
    if (payload.iss !== expected.issuer) throw new TokenRejectedError('the token does not have a valid issuer');
    const audiences: readonly string[] = typeof expected.audience === 'string' ? [expected.audience] : expected.audience;
    const presented = payload.aud ?? payload['client_id'];
    const presentedList = Array.isArray(presented) ? presented : [presented];
    if (!presentedList.some((a) => typeof a === 'string' && audiences.includes(a))) {
      throw new TokenRejectedError('the token does not have a valid audience');
    }
    if (typeof payload.exp !== 'number') throw new TokenRejectedError('the token does not have an expiry');
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds) throw new TokenRejectedError('the token was issued in the future');
    return payload;
  }

  /**
   * An OpenID Connect ID token for a client (`aud` = its client id) about the person an
   * authorization code was issued to; `nonce` echoes the authorization request's.
   */
  async issueIdToken(identity: IdTokenRequest, to: { issuer: string; clientId: string }): Promise<string> {
    const agency = checkTokenRequest(identity);
    const ttl = identity.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    const iat = Math.floor(Date.now() / 1000);
    const nonce = identity.nonce === undefined ? {} : { nonce: identity.nonce };
    return new SignJWT({ agency, jurisdiction: identity.jurisdiction, name: identity.name ?? identity.user, auth_time: identity.authTime ?? iat, ...nonce })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(to.issuer)
      .setAudience(to.clientId)
      .setSubject(identity.user)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(randomUUID())
      .sign(this.#privateKey);
  }

  /** The public key set (`jwks_uri` document). */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.#publicJwk }] };
  }

  /**
   * OpenID discovery document for `issuer`. The endpoints sit under `endpointBase` (default: the
   * issuer itself), so a browser that reached the local cloud on another port is sent back there;
   * `issuer` stays exactly the configured one, as the tokens' `iss`.
   */
  openIdConfiguration(issuer: string, options: { endpointBase?: string; scopes?: readonly string[] } = {}): Record<string, unknown> {
    const base = (options.endpointBase ?? issuer).replace(/\/$/, '');
    return {
      issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile', ...(options.scopes ?? [])],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
      claims_supported: ['iss', 'aud', 'sub', 'agency', 'jurisdiction', 'name', 'iat', 'exp', 'jti', 'nonce', 'auth_time'],
    };
  }

  /**
   * An `extraHandlers` entry for the local HTTP API that serves this issuer's discovery documents
   * under the issuer's path (`/local-idp/.well-known/openid-configuration` and `.../jwks.json`),
   * so OIDC tooling finds them where the `iss` claim says.
   */
  wellKnownHandler(issuer: string): (req: IncomingMessage, res: ServerResponse) => boolean {
    const base = new URL(issuer).pathname.replace(/\/$/, '');
    const documents = new Map<string, () => unknown>([
      [`${base}/.well-known/openid-configuration`, () => this.openIdConfiguration(issuer)],
      [`${base}/.well-known/jwks.json`, () => this.jwks()],
    ]);
    return (req, res) => {
      const document = req.method === 'GET' ? documents.get(new URL(req.url ?? '/', 'http://x').pathname) : undefined;
      if (!document) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document()));
      return true;
    };
  }

  #keyFor(kid: string | undefined): CryptoKey {
    if (kid !== this.kid) throw new TokenRejectedError('the token does not have a known key id');
    return this.#publicKey;
  }
}

/**
 * Validates agency, jurisdiction and their fit (the jurisdiction's level must be one the agency
 * works at). Returns the agency id.
 * @throws TokenRequestError with a Chinese and English message
 */
export function checkTokenRequest(request: Pick<TokenRequest, 'agency' | 'jurisdiction' | 'user'>): AgencyId {
  const { agency, jurisdiction, user } = request;
  if (!isAgencyId(agency)) {
    throw new TokenRequestError('未知机构', `unknown agency "${agency}"; valid agencies: ${AGENCY_IDS.join(', ')}`);
  }
  const valid = `valid jurisdictions for ${agency}: ${jurisdictionsFor(agency).join(', ')}`;
  const place = findJurisdiction(jurisdiction);
  if (!place) throw new TokenRequestError('未知辖区', `unknown jurisdiction "${jurisdiction}"; ${valid}`);
  const { levels, nameZh } = AGENCIES[agency];
  if (!levels.includes(place.level)) {
    throw new TokenRequestError(
      `${nameZh}不在${place.nameZh}这一级履职`,
      `agency "${agency}" works at ${levels.join(' or ')} level, ` +
        `but "${jurisdiction}" is a ${place.level}; ${valid}`,
    );
  }
  if (!user.trim()) throw new TokenRequestError('缺少用户', 'user is required');
  return agency;
}

/** Jurisdiction ids an agency may hold. */
export function jurisdictionsFor(agency: AgencyId): string[] {
  const { levels } = AGENCIES[agency];
  return JURISDICTIONS.filter((j) => levels.includes(j.level)).map((j) => j.id);
}

function rejection(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('the token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
    return new TokenRejectedError('the token is not valid yet', { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError('the token signature is invalid', { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenRejectedError('the token is not signed with a supported algorithm', { cause: error });
  return new TokenRejectedError('the token is not a valid JWT', { cause: error });
}

async function readJwk(file: string): Promise<JWK | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a new key under a temporary name, then links it into place: readers never see half a file. */
async function createJwk(file: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = ALG;
  jwk.use = 'sig';
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temporary, file);
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = await readJwk(file); // another process won the race: use its key
    if (!existing) throw error;
    return existing;
  } finally {
    await unlink(temporary);
  }
}
