import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceStore, InspectedObject } from './evidence.ts';

/** Evidence in S3: presigned PUTs that may not overwrite, and verification by reading the bytes. */
export class S3EvidenceStore implements EvidenceStore {
  #s3: S3Client;
  #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async presignUpload(key: string, contentType: string, expiresInSeconds: number) {
    // If-None-Match: * makes S3 refuse a second upload to the same key (evidence is never replaced);
    // it is signed, so the uploader must send it.
    const command = new PutObjectCommand({ Bucket: this.#bucket, Key: key, ContentType: contentType, IfNoneMatch: '*' });
    const url = await getSignedUrl(this.#s3, command, {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type', 'if-none-match']),
    });
    return { url, headers: { 'content-type': contentType, 'if-none-match': '*' } };
  }

  async inspect(key: string): Promise<InspectedObject | undefined> {
    try {
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
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
