import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from './aws/s3.ts';
import { loadConfig } from '../config.ts';
import type { DeclaredEvidence, EvidenceStore, InspectedObject } from '../evidence/evidence.ts';

/** Evidence in S3: presigned PUTs of exactly the declared bytes, once; verification by reading them. */
export class S3EvidenceStore implements EvidenceStore {
  #s3: S3Client;
  #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async presignUpload(key: string, declared: DeclaredEvidence, expiresInSeconds: number, now: Date) {
    // The signed SHA-256 makes S3 refuse other bytes (and satisfies Object Lock's integrity-check
    // requirement); If-None-Match: * makes it refuse a second upload to the key.
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: key,
      ContentType: declared.contentType,
      ContentLength: declared.size,
      ChecksumSHA256: Buffer.from(declared.sha256, 'hex').toString('base64'),
      IfNoneMatch: '*',
    });
    const url = await getSignedUrl(this.#s3, command, {
      expiresIn: expiresInSeconds,
      // The request's "now", so the URL's validity agrees with the clock the handler runs on.
      signingDate: now,
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
    return { url, headers: { 'content-type': declared.contentType, 'if-none-match': '*' } };
  }

  async head(key: string) {
    try {
      const out = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      // With s3:ListBucket granted, a missing key is a 404 (without it S3 would say 403).
      if (['NotFound', 'NoSuchKey'].includes((error as { name?: string }).name ?? '')) return undefined;
      throw error;
    }
  }

  async hash(key: string): Promise<InspectedObject> {
    const out = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    return {
      sha256: hash.digest('hex'),
      size,
      contentType: out.ContentType ?? 'application/octet-stream',
      ...(out.VersionId ? { versionId: out.VersionId } : {}),
    };
  }
}

export function evidenceStoreFromEnv(): S3EvidenceStore {
  return new S3EvidenceStore(s3Client(), loadConfig('EVIDENCE_BUCKET').EVIDENCE_BUCKET);
}
