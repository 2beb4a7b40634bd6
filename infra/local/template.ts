import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BucketSpec, ObjectLockConfiguration } from './servers/s3-local.ts';
import { secretArn, type GenerateSecretString } from './servers/secrets-local.ts';

/**
 * Reads the synthesized cloud assembly (cdk.out) and resolves it into what the local cloud must
 * provision — tables, buckets, topics, keys, secrets, functions (their bundles and environment), state
 * machines and API routes — so the local cloud is built from exactly what CDK deploys.
 */
export interface Blueprint {
  tables: TableSpec[];
  /** With the versioning and Object Lock the template gives them (the local S3 enforces both). */
  buckets: BucketSpec[];
  topics: Array<{ name: string; arn: string }>;
  keys: Array<{ keyId: string; arn: string; spec: 'SYMMETRIC_DEFAULT' | 'HMAC_256' }>;
  secrets: SecretSpec[];
  functions: FunctionSpec[];
  stateMachines: Array<{ name: string; arn: string; definition: string }>;
  api: { routes: Array<{ routeKey: string; authorization: 'JWT' | 'NONE'; scopes: string[]; functionArn: string }>; jwt?: { issuer: string; audience: string[] } };
  schedules: Array<{ functionArn: string; input: unknown; rate: string }>;
}

export interface TableSpec {
  name: string;
  keySchema: Array<{ AttributeName: string; KeyType: string }>;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  globalSecondaryIndexes: Array<{ IndexName: string; KeySchema: Array<{ AttributeName: string; KeyType: string }>; Projection: { ProjectionType: string } }>;
}

/** A Secrets Manager secret: a fixed SecretString, or the rules to generate one. */
export interface SecretSpec {
  name: string;
  arn: string;
  secretString?: string;
  generate?: GenerateSecretString;
}

export interface FunctionSpec {
  logicalId: string;
  name: string;
  arn: string;
  /** Absolute path of the bundled ES module. */
  bundle: string;
  handlerExport: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** MemorySize (Lambda's default 128 when the template sets none): what a GB-second is priced on. */
  memoryMb: number;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

export interface BlueprintOptions {
  /** Prefix of table names, so several local clouds can share one DynamoDB server. */
  tablePrefix?: string;
}

export function readBlueprint(cdkOut: string, options: BlueprintOptions = {}): Blueprint {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string }; dependencies?: string[] }>;
  };
  const stacks = Object.entries(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([name, a]) => ({ name, template: JSON.parse(readFileSync(join(cdkOut, a.properties!.templateFile!), 'utf8')) as Template, dependencies: a.dependencies ?? [] }));
  // Producers first, so their exports exist when consumers import them (the console stack, then
  // data, then service: a pairwise sort is no topological order beyond two stacks).
  const ordered: typeof stacks = [];
  const visit = (stack: (typeof stacks)[number], path: string[]): void => {
    if (ordered.includes(stack)) return;
    if (path.includes(stack.name)) throw new Error(`stacks depend on each other: ${[...path, stack.name].join(' → ')}`);
    for (const dependency of stacks.filter((s) => stack.dependencies.includes(s.name))) visit(dependency, [...path, stack.name]);
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack, []);

  const exports = new Map<string, string>();
  const blueprint: Blueprint = { tables: [], buckets: [], topics: [], keys: [], secrets: [], functions: [], stateMachines: [], api: { routes: [] }, schedules: [] };
  for (const stack of ordered) {
    const resolver = new Resolver(stack.name, stack.template, exports, options.tablePrefix ?? '');
    collect(blueprint, stack.template, resolver, cdkOut);
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      if (output.Export) exports.set(String(resolver.resolve(output.Export.Name)), String(resolver.resolve(output.Value)));
    }
  }
  return blueprint;
}

function collect(blueprint: Blueprint, template: Template, r: Resolver, cdkOut: string): void {
  const resources = Object.entries(template.Resources);
  const props = (res: Resource) => res.Properties ?? {};
  for (const [id, res] of resources) {
    const p = props(res);
    switch (res.Type) {
      case 'AWS::DynamoDB::Table':
        blueprint.tables.push({
          name: r.physicalName(id),
          keySchema: p.KeySchema as TableSpec['keySchema'],
          attributeDefinitions: p.AttributeDefinitions as TableSpec['attributeDefinitions'],
          globalSecondaryIndexes: ((p.GlobalSecondaryIndexes as TableSpec['globalSecondaryIndexes'] | undefined) ?? []).map((g) => ({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: g.Projection,
          })),
        });
        break;
      case 'AWS::S3::Bucket':
        blueprint.buckets.push({
          name: r.physicalName(id),
          versioning: (p.VersioningConfiguration as { Status?: string } | undefined)?.Status === 'Enabled',
          ...(p.ObjectLockEnabled === true || p.ObjectLockEnabled === 'true' ? { objectLock: (p.ObjectLockConfiguration as ObjectLockConfiguration | undefined) ?? { ObjectLockEnabled: 'Enabled' } } : {}),
        });
        break;
      case 'AWS::SNS::Topic':
        blueprint.topics.push({ name: r.physicalName(id), arn: String(r.resolve({ Ref: id })) });
        break;
      case 'AWS::KMS::Key':
        blueprint.keys.push({ keyId: r.physicalName(id), arn: String(r.resolve({ 'Fn::GetAtt': [id, 'Arn'] })), spec: p.KeySpec === 'HMAC_256' ? 'HMAC_256' : 'SYMMETRIC_DEFAULT' });
        break;
      case 'AWS::SecretsManager::Secret':
        blueprint.secrets.push({
          name: r.physicalName(id),
          arn: String(r.resolve({ Ref: id })),
          ...(p.SecretString !== undefined ? { secretString: String(r.resolve(p.SecretString)) } : { generate: (r.resolve(p.GenerateSecretString ?? {}) as GenerateSecretString) }),
        });
        break;
      case 'AWS::Lambda::Function': {
        // The system's functions are Node.js bundles; CDK's own deployment-time handlers (the
        // console's BucketDeployment, in Python) have nothing to do in the local cloud.
        if (!String(p.Runtime ?? '').startsWith('nodejs')) break;
        const code = p.Code as { S3Key?: string };
        const hash = String(code.S3Key ?? '').replace(/\.zip$/, '');
        const [file, exportName] = String(p.Handler ?? 'index.handler').split('.');
        const variables = ((p.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {}) as Record<string, Json>;
        blueprint.functions.push({
          logicalId: id,
          name: r.physicalName(id),
          arn: String(r.resolve({ 'Fn::GetAtt': [id, 'Arn'] })),
          bundle: join(cdkOut, `asset.${hash}`, `${file}.mjs`),
          handlerExport: exportName ?? 'handler',
          environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(r.resolve(v))])),
          timeoutSeconds: Number(p.Timeout ?? 3),
          memoryMb: Number(p.MemorySize ?? 128),
        });
        break;
      }
      case 'AWS::StepFunctions::StateMachine':
        blueprint.stateMachines.push({ name: r.physicalName(id), arn: String(r.resolve({ Ref: id })), definition: String(r.resolve(p.DefinitionString)) });
        break;
      case 'AWS::ApiGatewayV2::Authorizer': {
        const jwt = p.JwtConfiguration as { Issuer: Json; Audience: Json[] };
        blueprint.api.jwt = { issuer: String(r.resolve(jwt.Issuer)), audience: jwt.Audience.map((a) => String(r.resolve(a))) };
        break;
      }
      case 'AWS::ApiGatewayV2::Route': {
        const target = String(r.resolve(p.Target)).replace(/^integrations\//, '');
        const integration = template.Resources[target];
        if (!integration) throw new Error(`route ${String(p.RouteKey)}: integration ${target} not found`);
        blueprint.api.routes.push({
          routeKey: String(p.RouteKey),
          authorization: p.AuthorizationType === 'JWT' ? 'JWT' : 'NONE',
          scopes: ((p.AuthorizationScopes as Json[] | undefined) ?? []).map((scope) => String(r.resolve(scope))),
          functionArn: String(r.resolve(props(integration).IntegrationUri)),
        });
        break;
      }
      case 'AWS::Events::Rule':
        for (const t of (p.Targets as Array<{ Arn: Json; Input?: string }> | undefined) ?? []) {
          blueprint.schedules.push({ functionArn: String(r.resolve(t.Arn)), input: t.Input ? JSON.parse(t.Input) : {}, rate: String(p.ScheduleExpression ?? '') });
        }
        break;
    }
  }
}

/** Resolves CloudFormation intrinsic functions to local names and ARNs. */
class Resolver {
  readonly #stack: string;
  readonly #template: Template;
  readonly #exports: Map<string, string>;
  readonly #tablePrefix: string;

  constructor(stack: string, template: Template, exports: Map<string, string>, tablePrefix: string) {
    this.#stack = stack;
    this.#template = template;
    this.#exports = exports;
    this.#tablePrefix = tablePrefix;
  }

  physicalName(id: string): string {
    const res = this.#template.Resources[id];
    const p = res?.Properties ?? {};
    switch (res?.Type) {
      case 'AWS::DynamoDB::Table':
        return `${this.#tablePrefix}${p.TableName ? String(this.resolve(p.TableName)) : `${this.#stack}-${id}`}`;
      case 'AWS::S3::Bucket':
        return p.BucketName ? String(this.resolve(p.BucketName)) : `${this.#stack}-${id}`.toLowerCase();
      case 'AWS::SNS::Topic':
        return p.TopicName ? String(this.resolve(p.TopicName)) : `${this.#stack}-${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return p.StateMachineName ? String(this.resolve(p.StateMachineName)) : `${this.#stack}-${id}`;
      case 'AWS::Lambda::Function':
        return p.FunctionName ? String(this.resolve(p.FunctionName)) : `${this.#stack}-${id}`;
      case 'AWS::KMS::Key':
        return `local-${this.#stack}-${id}`.toLowerCase();
      case 'AWS::SecretsManager::Secret':
        return p.Name ? String(this.resolve(p.Name)) : `${this.#stack}-${id}`;
      case 'AWS::ApiGatewayV2::Integration':
        // Its physical id is opaque; routes point at it as `integrations/<id>`.
        return id;
      default:
        return `${this.#stack}-${id}`;
    }
  }

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length !== 1) return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
    const [fn, arg] = entries[0]!;
    switch (fn) {
      case 'Ref':
        return this.#ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return this.#getAtt(id!, attribute!);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, Json[]];
        return (this.resolve(parts) as Json[]).map(String).join(separator);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [String(arg), {}];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
          name in vars ? String(this.resolve(vars[name])) : name.includes('.') ? String(this.#getAtt(...(name.split('.') as [string, string]))) : String(this.#ref(name)),
        );
      }
      case 'Fn::Select': {
        const [index, list] = arg as [Json, Json];
        return (this.resolve(list) as Json[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = arg as [string, Json];
        return String(this.resolve(text)).split(separator);
      }
      case 'Fn::ImportValue': {
        const name = String(this.resolve(arg));
        const found = this.#exports.get(name);
        if (found === undefined) throw new Error(`import ${name}: no stack exports it`);
        return found;
      }
      default:
        return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
    }
  }

  #ref(id: string): Json {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.#stack,
      'AWS::NoValue': '',
    };
    if (id in pseudo) return pseudo[id];
    const res = this.#template.Resources[id];
    if (!res) throw new Error(`Ref ${id}: no such resource in ${this.#stack}`);
    switch (res.Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SecretsManager::Secret':
        return this.#getAtt(id, 'Arn');
      default:
        return this.physicalName(id);
    }
  }

  #getAtt(id: string, attribute: string): Json {
    const res = this.#template.Resources[id];
    if (!res) throw new Error(`GetAtt ${id}.${attribute}: no such resource in ${this.#stack}`);
    const name = this.physicalName(id);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
    const arns: Record<string, string> = {
      'AWS::DynamoDB::Table': arn('dynamodb', `table/${name}`),
      'AWS::S3::Bucket': `arn:aws:s3:::${name}`,
      'AWS::SNS::Topic': arn('sns', name),
      'AWS::KMS::Key': arn('kms', `key/${name}`),
      'AWS::Lambda::Function': arn('lambda', `function:${name}`),
      'AWS::StepFunctions::StateMachine': arn('states', `stateMachine:${name}`),
      'AWS::Logs::LogGroup': arn('logs', `log-group:${name}:*`),
      'AWS::IAM::Role': `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`,
      'AWS::SecretsManager::Secret': secretArn(name, LOCAL_REGION),
    };
    // A secret's Ref and its `Id` attribute are both its ARN.
    if (res.Type === 'AWS::SecretsManager::Secret' && attribute === 'Id') return arns[res.Type];
    if (attribute === 'Arn' || attribute === 'TopicArn') return arns[res.Type] ?? arn('local', name);
    if (attribute === 'TopicName' || attribute === 'Name') return name;
    if (attribute === 'KeyId') return name;
    return `${name}.${attribute}`;
  }
}
