import { createHash } from 'node:crypto';
import type { ActionContext } from '../../shared/audit.ts';
import type { Alert, AlertPublisher } from '../../shared/alerts/alert.ts';
import { HolidayCalendar } from '../../shared/calendar/index.ts';
import { leftDormant, waitsOn, workflowInput, type WatcherOutcome, type WatchScheduler, type WatchWorkflowInput } from '../../shared/deadlines/scheduler.ts';
import type { DeadlineWatch } from '../../shared/deadlines/watch.ts';
import type { DeclaredEvidence, DocumentStore, EvidenceStore, StoredDocument, StoredObject } from '../../shared/evidence/evidence.ts';
import { ConflictError } from '../../shared/errors.ts';
import type { Identity } from '../../shared/identity.ts';

/** In-memory ports for use-case tests (the real adapters are tested against the local cloud). */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string; checksum: boolean }>();
  async presignUpload(key: string, declared: DeclaredEvidence) {
    return { url: `memory://${key}`, headers: { 'content-type': declared.contentType, 'x-amz-checksum-sha256': Buffer.from(declared.sha256, 'hex').toString('base64') } };
  }
  async inspect(key: string): Promise<StoredObject | undefined> {
    const object = this.objects.get(key);
    // Like S3: the SHA-256 of the bytes it received, kept only if the upload carried one.
    return object && { size: object.body.length, contentType: object.contentType, sha256: object.checksum ? sha256(object.body) : undefined };
  }
  async presignDownload(key: string): Promise<string> {
    return `memory://${key}`;
  }
  /** What a township's phone does with the presigned URL (`checksum: false`: a PUT without the checksum header). */
  upload(key: string, body: Buffer, contentType: string, { checksum = true } = {}): void {
    this.objects.set(key, { body, contentType, checksum });
  }
}

/**
 * The evidence bucket in memory: presigned uploads and their verification (MemoryEvidenceStore) and
 * the documents the system writes and reads there; a second write to a key is refused, like S3's
 * If-None-Match.
 */
export class MemoryBucket extends MemoryEvidenceStore implements DocumentStore {
  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredDocument> {
    if (this.objects.has(key)) throw new ConflictError('document.exists', `文件已存在：${key}`);
    const body = Buffer.from(bytes);
    this.objects.set(key, { body, contentType, checksum: true });
    return { key, sha256: sha256(body), size: body.length, contentType };
  }
  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object at ${key}`);
    return (async function* () {
      yield object.body;
    })();
  }
  bytes(key: string): Buffer | undefined {
    return this.objects.get(key)?.body;
  }
}

export class RecordingScheduler implements WatchScheduler {
  readonly started: Array<{ caseId: string; phase: string; watches: DeadlineWatch[]; now: Date }> = [];
  readonly released: Array<{ token: string; watch: DeadlineWatch }> = [];
  /** Phases whose running workflow was stopped to wait on other instants. */
  readonly stopped: Array<{ caseId: string; phase: string }> = [];
  /** The running workflow of each case phase, as the instants it waits on. */
  readonly running = new Map<string, WatchWorkflowInput>();
  async watch(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date) {
    if (this.running.has(`${caseId}/${phase}`)) return;
    this.#start(caseId, phase, watches, now);
  }
  async ensure(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): Promise<WatcherOutcome> {
    const current = this.running.get(`${caseId}/${phase}`);
    if (current && waitsOn(current, watches) && leftDormant(current, watches, now).length === 0) return 'running';
    if (current) this.stopped.push({ caseId, phase });
    this.#start(caseId, phase, watches, now);
    return current ? 'restarted' : 'started';
  }
  /** The phase's workflow ended (every iteration settled or dormant): the next `ensure` starts the next generation. */
  end(caseId: string, phase: string) {
    this.running.delete(`${caseId}/${phase}`);
  }
  async release(token: string, watch: DeadlineWatch) {
    this.released.push({ token, watch });
  }
  #start(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date) {
    this.started.push({ caseId, phase, watches: [...watches], now });
    this.running.set(`${caseId}/${phase}`, workflowInput(caseId, phase, watches, now));
  }
}

export class RecordingAlerts implements AlertPublisher {
  readonly published: Alert[] = [];
  async publish(alert: Alert) {
    this.published.push(alert);
  }
}

export const calendar = async () => HolidayCalendar.builtIn();

let counter = 0;
export const sequentialIds = () => `ID${String(++counter).padStart(6, '0')}`;

export const AGENTS = {
  landBureau: { user: 'li.lb', agency: 'land-bureau', jurisdiction: 'yongzhou' },
  landBranch: { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' },
  etdzBranch: { user: 'zhao.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/etdz' },
  district: { user: 'chen.dg', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' },
  legal: { user: 'sun.lo', agency: 'legal-affairs-office', jurisdiction: 'yongzhou' },
  meiwan: { user: 'zhou.tw', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' },
  yitang: { user: 'wu.tw', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/yitang' },
  police: { user: 'zheng.ps', agency: 'public-security', jurisdiction: 'yongzhou' },
  finance: { user: 'qian.fi', agency: 'finance', jurisdiction: 'yongzhou' },
  investment: { user: 'he.ig', agency: 'investment-group', jurisdiction: 'yongzhou' },
} as const satisfies Record<string, Identity>;

export function ctxOf(actor: Identity, at: string | Date): ActionContext {
  return { actor, requestId: `req-${++counter}`, now: new Date(at) };
}

export const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** What a phone declares for a file before uploading it. */
export const declare = (body: Buffer, contentType = 'image/jpeg') => ({ contentType, size: body.length, sha256: sha256(body) });
