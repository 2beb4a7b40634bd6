/**
 * Mints a development token from the local identity provider.
 *
 *   node scripts/token.ts --agency land-bureau --jurisdiction yongzhou/lengshuitan [--user zhang.san]
 *     [--name 张三] [--ttl 12h] [--issuer URL] [--audience AUD] [--scope S]… [--key-dir .local/idp] [--json]
 *   node scripts/token.ts --list
 *
 * Prints only the token on stdout (or `{ token, claims }` with --json). Exit 2 on bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { AGENCIES, AGENCY_IDS, JURISDICTIONS } from '../shared/agencies.ts';
import { DEFAULT_API_SCOPE } from '../infra/config.ts';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_KEY_DIR,
  DEFAULT_TOKEN_TTL_SECONDS,
  LocalIdp,
  TokenRequestError,
  checkTokenRequest,
} from '../infra/local/api/local-idp.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');

const USAGE = `usage: token --agency ID --jurisdiction ID [--user ID] [--name NAME] [--ttl 12h]
             [--issuer URL] [--audience AUD] [--scope S]… [--key-dir DIR] [--json]
       token --list`;

class UsageError extends Error {
  override name = 'UsageError';
}

/** `90`, `90s`, `30m`, `12h`, `7d` → seconds. */
function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : 0;
  if (!seconds) throw new UsageError(`有效期格式错误 / bad --ttl "${text}" (use e.g. 3600, 30m, 12h, 7d)`);
  return seconds;
}

function listing(): string {
  const agencies = AGENCY_IDS.map((id) => `  ${id.padEnd(22)} ${AGENCIES[id].nameZh} (${AGENCIES[id].levels.join(', ')})`);
  const places = JURISDICTIONS.map((j) => `  ${j.id.padEnd(34)} ${j.nameZh} (${j.level})`);
  return ['agencies 机构 (levels):', ...agencies, '', 'jurisdictions 辖区 (level):', ...places].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      agency: { type: 'string' },
      jurisdiction: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      issuer: { type: 'string', default: DEFAULT_ISSUER },
      audience: { type: 'string', default: DEFAULT_AUDIENCE },
      // The scope the API's routes require by default (infra/config.ts); repeat for several.
      scope: { type: 'string', multiple: true, default: [DEFAULT_API_SCOPE] },
      'key-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    console.log(listing());
    return 0;
  }
  const { agency, jurisdiction } = values;
  if (!agency || !jurisdiction) throw new UsageError('--agency and --jurisdiction are required');
  const user = values.user ?? `dev.${agency}`;
  try {
    checkTokenRequest({ agency, jurisdiction, user });
  } catch (error) {
    if (error instanceof TokenRequestError) throw new UsageError(error.message);
    throw error;
  }
  const ttlSeconds = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : parseTtl(values.ttl);
  const idp = await LocalIdp.load(resolve(REPO_ROOT, values['key-dir'] ?? DEFAULT_KEY_DIR));
  const token = await idp.issueToken(
    { agency, jurisdiction, user, ttlSeconds, scopes: values.scope, ...(values.name ? { name: values.name } : {}) },
    { issuer: values.issuer, audience: values.audience },
  );
  console.log(values.json ? JSON.stringify({ token, claims: decodeJwt(token) }, null, 2) : token);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes.
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
