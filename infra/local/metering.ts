/**
 * What the local cloud would be billed for on AWS, counted as it runs (decision 0023): Lambda
 * invocations and their durations, DynamoDB request units (through a metering proxy in front of
 * DynamoDB Local — the functions bundle their own SDK, so no client middleware can reach them),
 * and S3 and KMS requests (from Node's `http.server.request.start` diagnostics channel, which the
 * in-process local servers publish on). The functions, the servers and the bench share one process.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen, readBody, type LocalServer } from './servers/net.ts';
import type { TableSpec } from './template.ts';

// ---------------------------------------------------------------- Lambda

export interface FunctionUsage {
  invocations: number;
  /** Wall time inside the handler, summed; each invocation rounded up to the millisecond, as Lambda bills. */
  billedMs: number;
  /**
   * The same wall time shared out among the invocations in flight together (k in flight: each gets
   * 1/k of it), each rounded up: the functions share one event loop here, where on AWS each has
   * its own. Wall time overstates a function's duration under concurrency; this understates the
   * time it spent waiting on I/O while others ran. The truth lies between (decision 0023).
   */
  sharedBilledMs: number;
  memoryMb: number;
}

interface InFlight {
  name: string;
  startedMs: number;
  sharedMs: number;
}

export class FunctionMeter {
  #usage = new Map<string, FunctionUsage>();
  #inFlight = new Set<InFlight>();
  #lastEventMs = 0;
  #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** An invocation starts; call what it returns when it ends (thrown or returned). */
  begin(fn: { name: string; memoryMb: number }): () => void {
    this.#share();
    const call: InFlight = { name: fn.name, startedMs: this.#now(), sharedMs: 0 };
    this.#inFlight.add(call);
    return () => {
      this.#share();
      this.#inFlight.delete(call);
      const usage = this.#usage.get(fn.name) ?? { invocations: 0, billedMs: 0, sharedBilledMs: 0, memoryMb: fn.memoryMb };
      this.#usage.set(fn.name, usage);
      usage.invocations++;
      usage.billedMs += Math.max(1, Math.ceil(this.#now() - call.startedMs));
      usage.sharedBilledMs += Math.max(1, Math.ceil(call.sharedMs));
    };
  }

  /** Per function name, a copy. */
  usage(): Record<string, FunctionUsage> {
    return Object.fromEntries([...this.#usage].map(([name, usage]) => [name, { ...usage }]));
  }

  /** Shares the time since the last start or end equally among the invocations in flight. */
  #share(): void {
    const now = this.#now();
    const share = (now - this.#lastEventMs) / Math.max(1, this.#inFlight.size);
    for (const call of this.#inFlight) call.sharedMs += share;
    this.#lastEventMs = now;
  }
}

// ---------------------------------------------------------------- DynamoDB

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** The parts of DynamoDB's JSON requests and answers that are priced. */
interface ItemAction {
  TableName: string;
  Item?: Item;
  Key?: Item;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}
export interface DynamoDbRequest extends Partial<ItemAction> {
  ConsistentRead?: boolean;
  IndexName?: string;
  /** BatchWriteItem: table → write requests; BatchGetItem: table → keys and consistency. */
  RequestItems?: Record<string, unknown>;
  TransactItems?: Array<{ Put?: ItemAction; Update?: ItemAction; Delete?: ItemAction; ConditionCheck?: ItemAction; Get?: ItemAction }>;
}
export interface DynamoDbResponse {
  Item?: Item;
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  /** BatchGetItem: table → items; TransactGetItems: one `{ Item }` per Get. */
  Responses?: unknown;
  __type?: string;
}

export interface DynamoDbUsage {
  /** Requests per operation (X-Amz-Target), failed ones included. */
  requests: Record<string, number>;
  /** On-demand write request units, GSI writes included. */
  writeRequestUnits: number;
  /** On-demand read request units (an eventually consistent 4 KB read is ½). */
  readRequestUnits: number;
  /** Item writes charged (a write refused by its condition included; a ConditionCheck not). */
  itemsWritten: number;
  itemsRead: number;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** DynamoDB's item size rule: attribute names plus values (numbers ~1 byte per 2 digits + 1; lists and maps 3 + 1 per element). */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(v));
    case 'N':
      return numberSize(String(v));
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'SS':
      return (v as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (v as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (v as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((sum, [k, e]) => sum + 1 + utf8(k) + valueSize(e), 0);
    default:
      return 1; // BOOL, NULL
  }
}

function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

interface KnownItem {
  size: number;
  attributes: Set<string>;
}

/**
 * Counts request units from what DynamoDB was asked and answered. Exact where the item is in sight
 * (PutItem, reads); an UpdateItem or DeleteItem is priced at the item's last seen size (else 1 KB);
 * a GSI costs one more write per index whose partition key the item has (or the update names).
 */
export class DynamoDbMeter {
  #tables = new Map<string, TableSpec>();
  #known = new Map<string, KnownItem>();
  #usage: DynamoDbUsage = { requests: {}, writeRequestUnits: 0, readRequestUnits: 0, itemsWritten: 0, itemsRead: 0 };

  constructor(tables: TableSpec[]) {
    for (const table of tables) this.#tables.set(table.name, table);
  }

  usage(): DynamoDbUsage {
    return { ...this.#usage, requests: { ...this.#usage.requests } };
  }

  /** One request and its answer; `failure` is the error type of a 4xx/5xx answer. */
  record(operation: string, request: DynamoDbRequest, response: DynamoDbResponse, failure?: string): void {
    const table = request.TableName ?? '';
    this.#usage.requests[operation] = (this.#usage.requests[operation] ?? 0) + 1;
    // A failed condition still consumes the write; other failures (validation, throttling) do not.
    const consumed = failure === undefined || /ConditionalCheckFailed|TransactionCanceled/.test(failure);
    if (!consumed) return;
    const ok = failure === undefined;
    switch (operation) {
      case 'PutItem':
        this.#put(table, request.Item ?? {}, 1);
        break;
      case 'UpdateItem':
        this.#update(table, request.Key ?? {}, request, 1);
        break;
      case 'DeleteItem':
        this.#delete(table, request.Key ?? {}, 1);
        break;
      case 'BatchWriteItem':
        for (const [name, writes] of Object.entries(request.RequestItems ?? {}) as Array<[string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>]>) {
          for (const w of writes) w.PutRequest ? this.#put(name, w.PutRequest.Item, 1) : this.#delete(name, w.DeleteRequest?.Key ?? {}, 1);
        }
        break;
      case 'TransactWriteItems':
        // Transactional writes cost two units per KB; a ConditionCheck is counted the same (an upper bound).
        for (const action of request.TransactItems ?? []) {
          if (action.Put) this.#put(action.Put.TableName, action.Put.Item ?? {}, 2);
          else if (action.Update) this.#update(action.Update.TableName, action.Update.Key ?? {}, action.Update, 2);
          else if (action.Delete) this.#delete(action.Delete.TableName, action.Delete.Key ?? {}, 2);
          else if (action.ConditionCheck) this.#charge(writeUnits(this.#knownOf(action.ConditionCheck.TableName, action.ConditionCheck.Key ?? {})?.size ?? 1) * 2, 0);
        }
        break;
      case 'GetItem':
        if (ok) this.#read(table, response.Item ? [response.Item] : [], request.ConsistentRead === true, 1);
        break;
      case 'BatchGetItem':
        if (ok) {
          for (const [name, items] of Object.entries(response.Responses ?? {}) as Array<[string, Item[]]>) {
            this.#read(name, items, (request.RequestItems?.[name] as { ConsistentRead?: boolean } | undefined)?.ConsistentRead === true, 1);
          }
        }
        break;
      case 'TransactGetItems':
        if (ok) {
          const answers = (response.Responses ?? []) as Array<{ Item?: Item }>;
          (request.TransactItems ?? []).forEach((action, i) => {
            const item = answers[i]?.Item;
            this.#read(action.Get?.TableName ?? '', item ? [item] : [], true, 2);
          });
        }
        break;
      case 'Query':
      case 'Scan':
        if (ok) this.#readPage(request, response);
        break;
    }
  }

  #keyOf(table: string, item: Item): string | undefined {
    const spec = this.#tables.get(table);
    if (!spec) return undefined;
    const key = spec.keySchema.map((k) => JSON.stringify(item[k.AttributeName] ?? null)).join('|');
    return `${table}|${key}`;
  }

  #knownOf(table: string, key: Item): KnownItem | undefined {
    const id = this.#keyOf(table, key);
    return id ? this.#known.get(id) : undefined;
  }

  #remember(table: string, item: Item): number {
    const size = itemSize(item);
    const id = this.#keyOf(table, item);
    if (id) this.#known.set(id, { size, attributes: new Set(Object.keys(item)) });
    return size;
  }

  #charge(wru: number, items: number): void {
    this.#usage.writeRequestUnits += wru;
    this.#usage.itemsWritten += items;
  }

  #gsiWrites(table: string, attributes: Set<string>, size: number): number {
    const spec = this.#tables.get(table);
    return (spec?.globalSecondaryIndexes ?? []).filter((g) => attributes.has(g.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '')).length * writeUnits(size);
  }

  #put(table: string, item: Item, factor: number): void {
    const size = this.#remember(table, item);
    this.#charge((writeUnits(size) + this.#gsiWrites(table, new Set(Object.keys(item)), size)) * factor, 1);
  }

  #update(table: string, key: Item, update: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> }, factor: number): void {
    const known = this.#knownOf(table, key);
    const size = known?.size ?? 1024;
    const named = new Set<string>(known?.attributes ?? []);
    // Attribute names the expression sets: plain words and #placeholders resolved.
    for (const word of (update.UpdateExpression ?? '').match(/#?[A-Za-z_][\w]*/g) ?? []) named.add(word.startsWith('#') ? (update.ExpressionAttributeNames?.[word] ?? word) : word);
    this.#charge((writeUnits(size) + this.#gsiWrites(table, named, size)) * factor, 1);
  }

  #delete(table: string, key: Item, factor: number): void {
    const known = this.#knownOf(table, key);
    const size = known?.size ?? 1;
    this.#charge((writeUnits(size) + (known ? this.#gsiWrites(table, known.attributes, size) : 0)) * factor, 1);
    const id = this.#keyOf(table, key);
    if (id) this.#known.delete(id);
  }

  #read(table: string, items: Item[], consistent: boolean, factor: number): void {
    if (items.length === 0) {
      // A read that finds nothing still costs its minimum.
      this.#usage.readRequestUnits += readUnits(0, consistent) * factor;
      return;
    }
    for (const item of items) this.#usage.readRequestUnits += readUnits(this.#remember(table, item), consistent) * factor;
    this.#usage.itemsRead += items.length;
  }

  /** A Query or Scan page is priced on the summed size of the items it evaluated (returned ones scaled up when a filter dropped some). */
  #readPage(request: DynamoDbRequest, response: DynamoDbResponse): void {
    const items: Item[] = response.Items ?? [];
    let bytes = 0;
    for (const item of items) bytes += request.IndexName ? itemSize(item) : this.#remember(request.TableName ?? '', item);
    const scanned = Number(response.ScannedCount ?? items.length);
    if (items.length > 0 && scanned > items.length) bytes = (bytes / items.length) * scanned;
    this.#usage.readRequestUnits += readUnits(bytes, request.ConsistentRead === true);
    this.#usage.itemsRead += items.length;
  }
}

/**
 * A reverse proxy in front of DynamoDB Local that meters every request passing through it. The
 * bodies are small JSON documents, read whole and forwarded unchanged (DynamoDB Local does not
 * check signatures, and the response's CRC32 header still matches its body).
 */
export async function startDynamoDbMeter(options: { upstream: string; tables: TableSpec[] }): Promise<LocalServer & { meter: DynamoDbMeter }> {
  const upstream = new URL(options.upstream);
  const meter = new DynamoDbMeter(options.tables);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((req, res) => {
    forward(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (upstreamRes) => {
        readBody(upstreamRes).then((b) => resolve({ status: upstreamRes.statusCode ?? 500, headers: upstreamRes.headers, body: b }), reject);
      });
      out.on('error', reject);
      out.end(body);
    });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (!operation) return;
    const parsed = (bytes: Buffer) => {
      try {
        return bytes.length ? JSON.parse(bytes.toString('utf8')) : {};
      } catch {
        return {};
      }
    };
    const response = parsed(answer.body) as DynamoDbResponse;
    meter.record(operation, parsed(body) as DynamoDbRequest, response, answer.status >= 400 ? String(response.__type ?? answer.status) : undefined);
  }
  const endpoint = await listen(server);
  return {
    endpoint,
    meter,
    stop: async () => {
      await closeServer(server);
      agent.destroy();
    },
  };
}

// ---------------------------------------------------------------- S3 and KMS

export interface HttpRequestUsage {
  /** S3 requests by kind: PUT (and POST, COPY), LIST, GET, HEAD, DELETE. */
  s3: Record<string, number>;
  /** KMS requests by action. */
  kms: Record<string, number>;
}

/**
 * Counts requests the local S3 and KMS servers receive, from Node's HTTP server diagnostics
 * channel (no change to the servers). Returns the counts and a function that stops counting.
 */
export function meterHttpServers(endpoints: { s3: string; kms: string }): { usage(): HttpRequestUsage; dispose(): void } {
  const s3Port = Number(new URL(endpoints.s3).port);
  const kmsPort = Number(new URL(endpoints.kms).port);
  const counts: HttpRequestUsage = { s3: {}, kms: {} };
  const add = (bucket: Record<string, number>, key: string) => {
    bucket[key] = (bucket[key] ?? 0) + 1;
  };
  const onRequest = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    if (port === s3Port) add(counts.s3, s3Kind(request));
    else if (port === kmsPort) add(counts.kms, String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown');
  };
  subscribe('http.server.request.start', onRequest);
  return {
    usage: () => ({ s3: { ...counts.s3 }, kms: { ...counts.kms } }),
    dispose: () => unsubscribe('http.server.request.start', onRequest),
  };
}

/** The S3 request class of a path-style request (`/bucket` or `/bucket/key…`). */
export function s3Kind(request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): string {
  const url = new URL(request.url ?? '/', 'http://s3');
  const isBucket = url.pathname.split('/').filter(Boolean).length <= 1;
  const method = request.method ?? 'GET';
  if (method === 'GET' && isBucket) return 'LIST';
  if (method === 'PUT' && request.headers['x-amz-copy-source']) return 'COPY';
  return method;
}
