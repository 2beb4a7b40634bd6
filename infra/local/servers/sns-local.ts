/**
 * A small SNS server speaking SNS's own protocol (awsQuery: form-encoded POST, XML replies), so
 * `@aws-sdk/client-sns` works unchanged. Topics, http/https subscriptions with filter policies,
 * and Publish delivering real SNS HTTP notifications asynchronously with retries.
 * Local subscriptions are confirmed at once (no SubscriptionConfirmation round trip), and
 * notifications are not signed (`Signature: 'local-unsigned'`).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import {
  closeServer,
  listen,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  partitionOf,
  readBody,
  type LocalServer,
} from './net.ts';
import {
  FilterPolicyError,
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicy,
  type FilterPolicyScope,
  type FilterValue,
} from './sns-filter-policy.ts';
import { notificationRequest, post, type NotificationAttribute, type RecordedMessage } from './sns-delivery.ts';

export type { NotificationAttribute, RecordedMessage } from './sns-delivery.ts';

export interface SnsLocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  region?: string;
  /** JSON file keeping topics and subscriptions across restarts. */
  stateFile?: string;
  /** JSONL file every published message is appended to. */
  recordFile?: string;
  /** Called with each published message (e.g. to print a one-line summary). */
  onMessage?: (message: RecordedMessage) => void;
  /** Delivery failures and other notes; absent means silent. */
  log?: (line: string) => void;
  /** Waits before each retry of a failed delivery (default 200 ms, 1 s, 5 s). */
  retryDelaysMs?: number[];
  /** Clock for notification timestamps (the local cloud passes its virtual clock). */
  now?: () => number;
  /**
   * Accept http/https endpoints off this machine. Default: env `LOCAL_SNS_ALLOW_REMOTE=true`,
   * otherwise only loopback endpoints, so a local run never sends alerts elsewhere.
   */
  allowRemote?: boolean;
}

/** True for endpoints on this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const PAGE_SIZE = 100;

export interface SnsLocal extends LocalServer {
  /** Creates a topic (idempotent by name) without a request; returns its ARN. */
  createTopic(name: string): string;
  /** Every message published (also before a restart, from the record file), oldest first. */
  messages(): RecordedMessage[];
  /** Resolves once no delivery (including retries) is pending. */
  waitForDeliveries(): Promise<void>;
}

interface Subscription {
  subscriptionArn: string;
  topicArn: string;
  protocol: 'http' | 'https';
  endpoint: string;
  attributes: Record<string, string>;
}

interface State {
  topics: string[];
  subscriptions: Subscription[];
}

/** An error in SNS's awsQuery error shape. */
class SnsError extends Error {
  override name = 'SnsError';
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_MESSAGE_BYTES = 256 * 1024;
const SETTABLE_ATTRIBUTES = ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'DeliveryPolicy', 'RedrivePolicy'];

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const el = (tag: string, text: string): string => `<${tag}>${escapeXml(text)}</${tag}>`;

const invalid = (message: string): SnsError => new SnsError('InvalidParameter', `Invalid parameter: ${message}`);

/** Maps each key of an awsQuery map (`Prefix.entry.N.<keyField>`) to its entry's parameter prefix. */
function queryMap(params: URLSearchParams, prefix: string, keyField: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (let n = 1; params.has(`${prefix}.entry.${n}.${keyField}`); n++) {
    entries.set(params.get(`${prefix}.entry.${n}.${keyField}`)!, `${prefix}.entry.${n}.`);
  }
  return entries;
}

function messageAttributes(params: URLSearchParams): Record<string, NotificationAttribute> {
  const attributes: Record<string, NotificationAttribute> = {};
  for (const [name, at] of queryMap(params, 'MessageAttributes', 'Name')) {
    const type = params.get(`${at}Value.DataType`) ?? '';
    const binary = type.startsWith('Binary');
    const value = params.get(`${at}Value.${binary ? 'BinaryValue' : 'StringValue'}`);
    const bad = (why: string) => new SnsError('ParameterValueInvalid', `The message attribute '${name}' ${why}`);
    if (!/^(String|Number|Binary)(\.|$)/.test(type)) throw bad('has an invalid message attribute type');
    if (value === null) throw bad('must contain non-empty message attribute value');
    if (type.startsWith('Number') && !Number.isFinite(Number(value))) throw bad('has an invalid numeric value');
    if (type === 'String.Array' && parseArray(value) === undefined) throw bad('has an invalid String.Array value');
    attributes[name] = { Type: type, Value: value };
  }
  return attributes;
}

/** A String.Array value's elements, or undefined if it is not a JSON array of scalars. */
function parseArray(value: string): FilterValue[] | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    const scalar = (item: unknown) => item === null || ['string', 'number', 'boolean'].includes(typeof item);
    return Array.isArray(parsed) && parsed.every(scalar) ? (parsed as FilterValue[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Attributes as filter policies see them: typed values; binary ones are not filterable. */
function filterSubject(attributes: Record<string, NotificationAttribute>): Record<string, FilterValue> {
  const subject: Record<string, FilterValue> = {};
  for (const [name, { Type, Value }] of Object.entries(attributes)) {
    if (Type === 'String.Array') subject[name] = parseArray(Value) ?? [];
    else if (Type.startsWith('Number')) subject[name] = Number(Value);
    else if (Type.startsWith('String')) subject[name] = Value;
  }
  return subject;
}

/** The policy of a subscription, or undefined when it has none. */
function policyOf(attributes: Record<string, string>): FilterPolicy | undefined {
  const text = attributes.FilterPolicy;
  if (!text || text === '{}') return undefined;
  return parseFilterPolicy(text, (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope);
}

function accepts(subscription: Subscription, message: string, attributes: Record<string, NotificationAttribute>): boolean {
  const policy = policyOf(subscription.attributes);
  if (!policy) return true;
  if (subscription.attributes.FilterPolicyScope !== 'MessageBody') {
    return matchesFilterPolicy(policy, filterSubject(attributes));
  }
  try {
    const body: unknown = JSON.parse(message);
    return typeof body === 'object' && body !== null && matchesFilterPolicy(policy, body as Record<string, FilterValue>);
  } catch {
    return false;
  }
}

/** Validates attributes a caller sets, in the order SNS needs them (scope before policy). */
function checkSubscriptionAttributes(attributes: Record<string, string>): void {
  for (const name of Object.keys(attributes)) {
    if (!SETTABLE_ATTRIBUTES.includes(name)) throw invalid(`AttributeName: ${name}`);
  }
  const scope = attributes.FilterPolicyScope;
  if (scope !== undefined && scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw invalid('FilterPolicyScope: must be MessageAttributes or MessageBody');
  }
  try {
    policyOf(attributes);
  } catch (error) {
    if (error instanceof FilterPolicyError) throw invalid(error.message);
    throw error;
  }
}

/** Starts the SNS server on 127.0.0.1. */
export async function startSnsLocal(options: SnsLocalOptions = {}): Promise<SnsLocal> {
  const region = options.region ?? LOCAL_REGION;
  const now = options.now ?? Date.now;
  const retryDelaysMs = options.retryDelaysMs ?? [200, 1_000, 5_000];
  const log = options.log ?? (() => {});
  const allowRemote = options.allowRemote ?? process.env.LOCAL_SNS_ALLOW_REMOTE === 'true';
  const topicArnPrefix = `arn:${partitionOf(region)}:sns:${region}:${LOCAL_ACCOUNT_ID}:`;

  const state: State =
    options.stateFile && existsSync(options.stateFile)
      ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as State)
      : { topics: [], subscriptions: [] };
  // Messages recorded before a restart stay listed: the record file is the local alert history.
  const recorded: RecordedMessage[] =
    options.recordFile && existsSync(options.recordFile)
      ? readFileSync(options.recordFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as RecordedMessage)
      : [];
  const pending = new Set<Promise<void>>();
  const stopping = new AbortController();
  let endpoint = '';

  const save = (): void => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const temporary = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2));
    renameSync(temporary, options.stateFile);
  };

  const topic = (arn: string | null): string => {
    if (!arn) throw invalid('TopicArn');
    if (!state.topics.includes(arn)) throw new SnsError('NotFound', 'Topic does not exist', 404);
    return arn;
  };
  const subscription = (arn: string | null): Subscription => {
    const found = state.subscriptions.find((s) => s.subscriptionArn === arn);
    if (!found) throw new SnsError('NotFound', 'Subscription does not exist', 404);
    return found;
  };

  const subscriptionAttributes = (s: Subscription): Record<string, string> => ({
    SubscriptionArn: s.subscriptionArn,
    TopicArn: s.topicArn,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    Owner: LOCAL_ACCOUNT_ID,
    PendingConfirmation: 'false',
    ConfirmationWasAuthenticated: 'true',
    RawMessageDelivery: 'false',
    ...(s.attributes.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}),
    ...s.attributes,
  });

  async function deliver(s: Subscription, record: RecordedMessage): Promise<void> {
    if (!allowRemote && !isLoopbackEndpoint(s.endpoint)) {
      // A subscription kept from a run that allowed remote endpoints.
      log(`sns: not delivering ${record.messageId} to ${s.endpoint}: not on this machine (set LOCAL_SNS_ALLOW_REMOTE=true to allow)`);
      return;
    }
    const raw = s.attributes.RawMessageDelivery === 'true';
    const notification = notificationRequest(record, s.subscriptionArn, raw, endpoint);
    const failure = await post(s.endpoint, notification, retryDelaysMs, stopping.signal);
    if (failure) log(`sns: gave up delivering ${record.messageId} to ${s.endpoint}: ${failure}`);
  }

  function publish(params: URLSearchParams): string {
    const topicArn = topic(params.get('TopicArn') ?? params.get('TargetArn'));
    let message = params.get('Message');
    if (!message) throw invalid('Empty message');
    const subject = params.get('Subject') ?? undefined;
    const attributes = messageAttributes(params);
    if (Buffer.byteLength(message) + Buffer.byteLength(JSON.stringify(attributes)) > MAX_MESSAGE_BYTES) {
      throw invalid('Message too long');
    }
    let perProtocol: Record<string, unknown> | undefined;
    if (params.get('MessageStructure') === 'json') {
      try {
        perProtocol = JSON.parse(message) as Record<string, unknown>;
      } catch {
        throw invalid('Message Structure - JSON message body failed to parse');
      }
      if (typeof perProtocol?.default !== 'string') throw invalid('Message Structure - No default entry in JSON message body');
      message = perProtocol.default;
    }
    const matched = state.subscriptions.filter((s) => s.topicArn === topicArn && accepts(s, message, attributes));
    const record: RecordedMessage = {
      messageId: randomUUID(),
      topicArn,
      ...(subject === undefined ? {} : { subject }),
      message,
      messageAttributes: attributes,
      timestamp: new Date(now()).toISOString(),
      subscriptionArns: matched.map((s) => s.subscriptionArn),
    };
    recorded.push(record);
    if (options.recordFile) {
      mkdirSync(dirname(options.recordFile), { recursive: true });
      appendFileSync(options.recordFile, `${JSON.stringify(record)}\n`);
    }
    try {
      options.onMessage?.(record);
    } catch (error) {
      log(`sns: onMessage failed: ${String(error)}`);
    }
    for (const s of matched) {
      const protocolMessage = perProtocol?.[s.protocol];
      const forThis = typeof protocolMessage === 'string' ? { ...record, message: protocolMessage } : record;
      const delivery = deliver(s, forThis).finally(() => pending.delete(delivery));
      pending.add(delivery);
    }
    return el('MessageId', record.messageId);
  }

  function subscribe(params: URLSearchParams): string {
    const topicArn = topic(params.get('TopicArn'));
    const protocol = params.get('Protocol');
    const target = params.get('Endpoint') ?? '';
    if (protocol !== 'http' && protocol !== 'https') {
      throw invalid(`Protocol: only http and https are supported locally, got ${protocol}`);
    }
    if (!target.startsWith(`${protocol}://`)) throw invalid('Endpoint must match the protocol');
    if (!allowRemote && !isLoopbackEndpoint(target)) {
      throw invalid(`Endpoint: the local SNS delivers only to this machine (localhost, 127.0.0.0/8, ::1), not to ${target}; start it with LOCAL_SNS_ALLOW_REMOTE=true to allow other hosts`);
    }
    const attributes: Record<string, string> = {};
    for (const [name, at] of queryMap(params, 'Attributes', 'key')) attributes[name] = params.get(`${at}value`) ?? '';
    checkSubscriptionAttributes(attributes);
    const existing = state.subscriptions.find(
      (s) => s.topicArn === topicArn && s.protocol === protocol && s.endpoint === target,
    );
    if (existing) {
      // As SNS: the same subscription again is a no-op, with other attributes an error.
      if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes)) {
        throw invalid('Attributes Reason: Subscription already exists with different attributes');
      }
      return el('SubscriptionArn', existing.subscriptionArn);
    }
    const created: Subscription = { subscriptionArn: `${topicArn}:${randomUUID()}`, topicArn, protocol, endpoint: target, attributes };
    state.subscriptions.push(created);
    save();
    return el('SubscriptionArn', created.subscriptionArn);
  }

  function createTopic(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) throw invalid('Topic Name');
    const arn = topicArnPrefix + name;
    if (!state.topics.includes(arn)) {
      state.topics.push(arn);
      save();
    }
    return arn;
  }

  const subscriptionMember = (s: Subscription): string =>
    `<member>${el('TopicArn', s.topicArn)}${el('Protocol', s.protocol)}${el('SubscriptionArn', s.subscriptionArn)}` +
    `${el('Owner', LOCAL_ACCOUNT_ID)}${el('Endpoint', s.endpoint)}</member>`;

  /** SNS's list paging: 100 per page and an opaque NextToken. */
  const paged = <T>(items: T[], params: URLSearchParams): { page: T[]; next?: string } => {
    const token = params.get('NextToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalid('NextToken');
    const end = start + PAGE_SIZE;
    return end < items.length ? { page: items.slice(start, end), next: Buffer.from(String(end)).toString('base64url') } : { page: items.slice(start) };
  };

  const topicAttributes = (arn: string): Record<string, string> => {
    const subscribed = state.subscriptions.filter((s) => s.topicArn === arn).length;
    return {
      TopicArn: arn,
      Owner: LOCAL_ACCOUNT_ID,
      DisplayName: '',
      Policy: JSON.stringify({
        Version: '2008-10-17',
        Id: '__default_policy_ID',
        Statement: [
          {
            Sid: '__default_statement_ID',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
            Resource: arn,
            Condition: { StringEquals: { 'AWS:SourceOwner': LOCAL_ACCOUNT_ID } },
          },
        ],
      }),
      SubscriptionsConfirmed: String(subscribed),
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: JSON.stringify({
        http: {
          defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
          disableSubscriptionOverrides: false,
          defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
        },
      }),
    };
  };

  const actions: Record<string, (params: URLSearchParams) => string> = {
    CreateTopic: (params) => el('TopicArn', createTopic(params.get('Name') ?? '')),
    DeleteTopic(params) {
      const arn = params.get('TopicArn');
      state.topics = state.topics.filter((t) => t !== arn);
      state.subscriptions = state.subscriptions.filter((s) => s.topicArn !== arn);
      save();
      return '';
    },
    ListTopics() {
      return `<Topics>${state.topics.map((arn) => `<member>${el('TopicArn', arn)}</member>`).join('')}</Topics>`;
    },
    Publish: publish,
    Subscribe: subscribe,
    Unsubscribe(params) {
      const found = subscription(params.get('SubscriptionArn'));
      state.subscriptions = state.subscriptions.filter((s) => s !== found);
      save();
      return '';
    },
    ListSubscriptionsByTopic(params) {
      const topicArn = topic(params.get('TopicArn'));
      const { page, next } = paged(state.subscriptions.filter((s) => s.topicArn === topicArn), params);
      return `<Subscriptions>${page.map(subscriptionMember).join('')}</Subscriptions>${next ? el('NextToken', next) : ''}`;
    },
    ListSubscriptions(params) {
      const { page, next } = paged(state.subscriptions, params);
      return `<Subscriptions>${page.map(subscriptionMember).join('')}</Subscriptions>${next ? el('NextToken', next) : ''}`;
    },
    GetTopicAttributes(params) {
      const entries = Object.entries(topicAttributes(topic(params.get('TopicArn'))));
      return `<Attributes>${entries.map(([k, v]) => `<entry>${el('key', k)}${el('value', v)}</entry>`).join('')}</Attributes>`;
    },
    GetSubscriptionAttributes(params) {
      const entries = Object.entries(subscriptionAttributes(subscription(params.get('SubscriptionArn'))));
      return `<Attributes>${entries.map(([k, v]) => `<entry>${el('key', k)}${el('value', v)}</entry>`).join('')}</Attributes>`;
    },
    SetSubscriptionAttributes(params) {
      const found = subscription(params.get('SubscriptionArn'));
      const name = params.get('AttributeName') ?? '';
      const next = { ...found.attributes, [name]: params.get('AttributeValue') ?? '' };
      checkSubscriptionAttributes(next);
      found.attributes = next;
      save();
      return '';
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const params = new URLSearchParams(request.method === 'POST' ? (await readBody(request)).toString('utf8') : '');
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.set(key, value);
    const action = params.get('Action') ?? '';
    const requestId = randomUUID();
    let status = 200;
    let xml: string;
    try {
      const run = actions[action];
      if (!run) throw new SnsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
      const result = run(params);
      xml =
        `<${action}Response xmlns="${NAMESPACE}">${result ? `<${action}Result>${result}</${action}Result>` : ''}` +
        `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`;
    } catch (error) {
      const known = error instanceof SnsError ? error : new SnsError('InternalError', String(error), 500);
      status = known.status;
      xml =
        `<ErrorResponse xmlns="${NAMESPACE}"><Error>${el('Type', status < 500 ? 'Sender' : 'Receiver')}` +
        `${el('Code', known.code)}${el('Message', known.message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`;
    }
    response.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId });
    response.end(`<?xml version="1.0"?>\n${xml}`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  endpoint = await listen(server, options.port);

  return {
    endpoint,
    createTopic,
    messages: () => [...recorded],
    async waitForDeliveries() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...pending]);
      await closeServer(server);
    },
  };
}
