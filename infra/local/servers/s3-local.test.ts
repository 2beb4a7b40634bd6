import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3ClientConfig, startS3Local } from './s3-local.ts';
import type { LocalServer } from './net.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function getBytes(client: S3Client, Bucket: string, Key: string): Promise<Uint8Array> {
  const object = await client.send(new GetObjectCommand({ Bucket, Key }));
  return object.Body!.transformToByteArray();
}

describe('s3rver as local S3', () => {
  let server: LocalServer;
  let client: S3Client;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startS3Local({ buckets: ['evidence'], log: (line) => lines.push(line) });
    client = new S3Client(localS3ClientConfig(server.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('takes a browser-style upload to a presigned PUT URL and serves the same bytes', async () => {
    const pdf = randomBytes(300_000);
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'evidence', Key: 'cases/c1/notice 1.pdf', ContentType: 'application/pdf' }),
      { expiresIn: 300 },
    );
    const upload = await fetch(url, { method: 'PUT', body: pdf, headers: { 'Content-Type': 'application/pdf' } });
    expect(upload.status).toBe(200);

    expect(sha256(await getBytes(client, 'evidence', 'cases/c1/notice 1.pdf'))).toBe(sha256(pdf));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'evidence', Key: 'cases/c1/notice 1.pdf' }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(pdf.length);
    expect(lines.some((line) => line.startsWith('s3 PUT /evidence/'))).toBe(true);
  });

  it('answers a CORS preflight for a browser PUT', async () => {
    const preflight = await fetch(`${server.endpoint}/evidence/some-key`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('stores a streamed SDK upload without aws-chunked framing', async () => {
    const bytes = randomBytes(70_000);
    await client.send(
      new PutObjectCommand({ Bucket: 'evidence', Key: 'streamed', Body: Readable.from([bytes]), ContentLength: bytes.length }),
    );
    expect(sha256(await getBytes(client, 'evidence', 'streamed'))).toBe(sha256(bytes));
  });

  it('creates only once with IfNoneMatch: *', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'evidence', Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const second = await client
      .send(new PutObjectCommand({ Bucket: 'evidence', Key: 'once', Body: 'second', IfNoneMatch: '*' }))
      .catch((error: unknown) => error);
    expect(second).toBeInstanceOf(S3ServiceException);
    expect((second as S3ServiceException).name).toBe('PreconditionFailed');
    expect((second as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    expect(new TextDecoder().decode(await getBytes(client, 'evidence', 'once'))).toBe('first');
  });

  it('lets only one of two racing conditional creates win', async () => {
    const attempts = await Promise.allSettled(
      ['a', 'b', 'c'].map((body) =>
        client.send(new PutObjectCommand({ Bucket: 'evidence', Key: 'race', Body: body.repeat(100_000), IfNoneMatch: '*' })),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('s3rver with a directory', () => {
  const directory = mkdtempSync(join(tmpdir(), 's3-local-test-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps objects across a restart', async () => {
    const first = await startS3Local({ directory, buckets: ['evidence'] });
    const a = new S3Client(localS3ClientConfig(first.endpoint));
    try {
      await a.send(new PutObjectCommand({ Bucket: 'evidence', Key: 'kept.txt', Body: '征收决定', ContentType: 'text/plain' }));
    } finally {
      a.destroy();
      await first.stop();
    }

    const second = await startS3Local({ directory, buckets: ['evidence'] });
    const b = new S3Client(localS3ClientConfig(second.endpoint));
    try {
      expect(new TextDecoder().decode(await getBytes(b, 'evidence', 'kept.txt'))).toBe('征收决定');
    } finally {
      b.destroy();
      await second.stop();
    }
  });
});
