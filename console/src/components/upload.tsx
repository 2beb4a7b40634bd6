/**
 * Evidence from the browser: pick a photo or video (a phone opens its camera), hash it here with
 * Web Crypto SHA-256, ask the API for a presigned slot that fixes type, size and hash, PUT the bytes
 * straight to storage with a progress bar, then let the caller record what the file proves.
 */
import { useState } from 'preact/hooks';
import { ErrorNotice } from './ui.tsx';

/** What a presigned slot request declares (every service's upload route takes at least this). */
export interface Declared {
  contentType: string;
  fileName: string;
  size: number;
  sha256: string;
}

export interface UploadSlot {
  uploadId: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
}

export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** PUTs with XMLHttpRequest: fetch cannot report upload progress. */
function put(slot: UploadSlot, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(slot.method, slot.url);
    for (const [name, value] of Object.entries(slot.headers)) {
      // The browser sets these itself and refuses to be told.
      if (!['host', 'content-length'].includes(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => (request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`上传被存储拒绝（HTTP ${request.status}）`)));
    request.onerror = () => reject(new Error('上传失败：网络错误'));
    request.send(file);
  });
}

type Phase = { kind: 'idle' } | { kind: 'hashing' } | { kind: 'uploading'; fraction: number } | { kind: 'recording' } | { kind: 'done'; sha256: string } | { kind: 'failed'; error: unknown };

export function EvidenceUpload(props: {
  label: string;
  /** What the input accepts; photos and videos by default, with the camera on a phone. */
  accept?: string;
  capture?: boolean;
  /** Asks the API for a slot for this file. */
  requestSlot: (declared: Declared) => Promise<UploadSlot>;
  /** Records the verified upload (e.g. the posting it proves); its answer is the caller's. */
  record: (uploadId: string, declared: Declared) => Promise<unknown>;
  onDone?: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [fileName, setFileName] = useState<string>();
  const id = `upload-${props.label}`;

  async function upload(file: File) {
    try {
      setPhase({ kind: 'hashing' });
      const declared: Declared = { contentType: file.type || 'application/octet-stream', fileName: file.name, size: file.size, sha256: await sha256Hex(file) };
      const slot = await props.requestSlot(declared);
      setPhase({ kind: 'uploading', fraction: 0 });
      await put(slot, file, (fraction) => setPhase({ kind: 'uploading', fraction }));
      setPhase({ kind: 'recording' });
      await props.record(slot.uploadId, declared);
      setPhase({ kind: 'done', sha256: declared.sha256 });
      props.onDone?.();
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }

  const busy = phase.kind === 'hashing' || phase.kind === 'uploading' || phase.kind === 'recording';
  return (
    <div class="upload">
      <label for={id}>{props.label}</label>
      {/* The browser's own button speaks its UI language ("Choose File"); this one speaks Chinese. */}
      <span class="file-picker">
        <input
          id={id}
          type="file"
          accept={props.accept ?? 'image/*,video/*'}
          {...(props.capture === false ? {} : { capture: 'environment' })}
          disabled={busy}
          onChange={(event) => {
            const file = (event.currentTarget as HTMLInputElement).files?.[0];
            setFileName(file?.name);
            if (file) void upload(file);
          }}
        />
        <label for={id} class="button secondary" aria-hidden="true">
          选择文件
        </label>
        <span class="file-name">{fileName ?? '未选择文件'}</span>
      </span>
      {phase.kind === 'hashing' ? <p role="status">正在计算文件指纹（SHA-256）…</p> : null}
      {phase.kind === 'uploading' ? (
        <p role="status">
          <progress max={1} value={phase.fraction} aria-label="上传进度" /> {Math.round(phase.fraction * 100)}%
        </p>
      ) : null}
      {phase.kind === 'recording' ? <p role="status">正在登记…</p> : null}
      {phase.kind === 'done' ? (
        <p role="status" class="ok">
          已上传并登记（SHA-256 {phase.sha256.slice(0, 12)}…）
        </p>
      ) : null}
      {phase.kind === 'failed' ? <ErrorNotice error={phase.error} /> : null}
    </div>
  );
}
