/** What the server that serves the console tells it: where the API and the identity provider are. */
export interface ConsoleConfig {
  /** The API's base URL; empty: the console's own origin (the local cloud serves both). */
  apiBase: string;
  /** The OIDC issuer, exactly as in its tokens' `iss`. */
  issuer: string;
  clientId: string;
  scope: string;
  /** Without these the console reads the issuer's discovery document. */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  endSessionEndpoint?: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`无法读取控制台配置（config.json：HTTP ${response.status}）`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  if (typeof config.issuer !== 'string' || typeof config.clientId !== 'string') throw new Error('控制台配置缺少身份提供方（issuer、clientId）');
  return { apiBase: config.apiBase ?? '', scope: config.scope ?? 'openid', ...config } as ConsoleConfig;
}
