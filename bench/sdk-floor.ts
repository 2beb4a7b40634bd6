/**
 * The floor a function's bundle is measured against: a generated handler that imports just the AWS
 * SDK clients (and commands) that function's bundle contains, bundled with the same esbuild options
 * as CDK bundles the functions. Which clients and commands: read from the bundle's own source map
 * (kept in the artifact), so the list cannot drift from what the function really ships.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING } from '../infra/constructs/service-function.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** The SDK packages the functions may use, with the class each one's floor constructs. */
const CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
};

export interface SdkUse {
  /** e.g. `@aws-sdk/client-s3` → [`GetObjectCommand`, …] */
  clients: Record<string, string[]>;
  documentClient: boolean;
  presigner: boolean;
}

/** What of the SDK a bundle contains, from the `sources` of its source map. */
export function sdkUseOf(bundle: string): SdkUse {
  const { sources } = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  const use: SdkUse = { clients: {}, documentClient: false, presigner: false };
  for (const source of sources) {
    const client = source.match(/node_modules\/(@aws-sdk\/client-[\w-]+)\/dist-es\/(?:commands\/(\w+Command)\.js)?/);
    if (client && CLIENTS[client[1]!]) {
      use.clients[client[1]!] ??= [];
      const commands = use.clients[client[1]!]!;
      if (client[2] && !commands.includes(client[2])) commands.push(client[2]);
    }
    if (source.includes('node_modules/@aws-sdk/lib-dynamodb/')) use.documentClient = true;
    if (source.includes('node_modules/@aws-sdk/s3-request-presigner/')) use.presigner = true;
  }
  return use;
}

export const describeUse = (use: SdkUse): string =>
  [...Object.keys(use.clients).map((c) => c.replace('@aws-sdk/client-', '')), ...(use.documentClient ? ['lib-dynamodb'] : []), ...(use.presigner ? ['presigner'] : [])].join('+');

/** A handler that builds those clients at cold start (as the functions do) and keeps their commands. */
export function floorSource(use: SdkUse): string {
  const lines: string[] = [];
  const kept: string[] = [];
  for (const [pkg, commands] of Object.entries(use.clients)) {
    const cls = CLIENTS[pkg]!;
    lines.push(`import { ${[cls, ...commands].join(', ')} } from '${pkg}';`);
    lines.push(`const ${cls}_ = new ${cls}({});`);
    kept.push(`${cls}_`, ...commands);
  }
  if (use.documentClient) {
    lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
    lines.push(`const doc_ = DynamoDBDocumentClient.from(new DynamoDBClient({}));`);
    kept.push('doc_');
  }
  if (use.presigner) {
    lines.push(`import { getSignedUrl } from '@aws-sdk/s3-request-presigner';`);
    kept.push('getSignedUrl');
  }
  lines.push(`const kept = [${kept.join(', ')}];`, 'export const handler = async () => kept.length;');
  return `${lines.join('\n')}\n`;
}

/** Bundles `source` (resolving packages from the repository) the way CDK bundles the functions. */
export async function bundleLikeCdk(source: string, outfile: string): Promise<void> {
  await build({
    stdin: { contents: source, resolveDir: REPO, loader: 'ts', sourcefile: 'floor.ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    keepNames: BUNDLING.keepNames,
    sourcemap: BUNDLING.sourceMap,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner },
    logLevel: 'error',
  });
}
