import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from './aws/s3.ts';
import { loadConfig } from '../config.ts';
import type { DeclaredEvidence, DocumentStore, EvidenceStore, StoredDocument, StoredObject } from '../evidence/evidence.ts';

/** Headers the presigned PUT signs, and the device must send as returned (content-length is implied by the body). */
const SIGNED_UPLOAD_HEADERS = ['content-type', 'content-length', 'if-none-match', 'x-amz-checksum-sha256'];

/** Evidence in S3: presigned PUTs of exactly the declared bytes, once; verification by S3's own checksum. */
export class S3EvidenceStore implements EvidenceStore {
  #s3: S3Client;
  #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async presignUpload(key: string, declared: DeclaredEvidence, expiresInSeconds: number, now: Date) {
    const checksum = Buffer.from(declared.sha256, 'hex').toString('base64');
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: key,
      ContentType: declared.contentType,
      ContentLength: declared.size,
      ChecksumSHA256: checksum,
      IfNoneMatch: '*',
    });
    const url = await getSignedUrl(this.#s3, command, {
      expiresIn: expiresInSeconds,
      // The request's "now", so the URL's validity agrees with the clock the handler runs on.
      signingDate: now,
      signableHeaders: new Set(SIGNED_UPLOAD_HEADERS),
      // The presigner would hoist the checksum into the query string, where S3 ignores it. As a
      // signed header S3 checks the bytes against it (400 BadDigest), stores it, and it satisfies
      // Object Lock's rule that a PUT carry Content-MD5 or x-amz-checksum-*. If-None-Match: *
      // makes S3 refuse a second upload to the key.
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    return { url, headers: { 'content-type': declared.contentType, 'if-none-match': '*', 'x-amz-checksum-sha256': checksum } };
  }

  async inspect(key: string): Promise<StoredObject | undefined> {
    try {
      // ChecksumMode makes S3 return the checksum it verified and stored at upload: no bytes read,
      // so verification takes the same time for a photo and a 5 GiB video.
      const out = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key, ChecksumMode: 'ENABLED' }));
      return {
        size: out.ContentLength ?? 0,
        contentType: out.ContentType ?? 'application/octet-stream',
        sha256: sha256Hex(out.ChecksumSHA256),
        ...(out.VersionId ? { versionId: out.VersionId } : {}),
      };
    } catch (error) {
      // With s3:ListBucket granted, a missing key is a 404 (without it S3 would say 403).
      if (['NotFound', 'NoSuchKey'].includes((error as { name?: string }).name ?? '')) return undefined;
      throw error;
    }
  }

  async presignDownload(key: string, expiresInSeconds: number, now: Date): Promise<string> {
    return getSignedUrl(this.#s3, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), { expiresIn: expiresInSeconds, signingDate: now });
  }
}

/** S3's full-object SHA-256 (base64) as hex; a multipart upload's composite "…-N" checksum is no file hash. */
function sha256Hex(checksum: string | undefined): string | undefined {
  if (checksum === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(checksum)) return undefined;
  return Buffer.from(checksum, 'base64').toString('hex');
}

/** Documents the system produces or reads, in the same bucket (Object Lock keeps them as written). */
export class S3DocumentStore implements DocumentStore {
  #s3: S3Client;
  #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async put(key: string, bytes: Uint8Array, contentType: string, fileName: string): Promise<StoredDocument> {
    const digest = createHash('sha256').update(bytes).digest();
    const out = await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.byteLength,
        ContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        ChecksumSHA256: digest.toString('base64'),
        IfNoneMatch: '*',
      }),
    );
    return { key, sha256: digest.toString('hex'), size: bytes.byteLength, contentType, ...(out.VersionId ? { versionId: out.VersionId } : {}) };
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const out = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    if (!out.Body) throw new Error(`empty object body: ${key}`);
    return out.Body as AsyncIterable<Uint8Array>;
  }

  async presignDownload(key: string, expiresInSeconds: number, now: Date): Promise<string> {
    return getSignedUrl(this.#s3, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), { expiresIn: expiresInSeconds, signingDate: now });
  }
}

export function documentStoreFromEnv(): S3DocumentStore {
  return new S3DocumentStore(s3Client(), loadConfig('EVIDENCE_BUCKET').EVIDENCE_BUCKET);
}

export function evidenceStoreFromEnv(): S3EvidenceStore {
  return new S3EvidenceStore(s3Client(), loadConfig('EVIDENCE_BUCKET').EVIDENCE_BUCKET);
}
