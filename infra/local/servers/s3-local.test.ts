import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3ClientConfig, startS3Local } from './s3-local.ts';
import { awsCli } from './aws-cli.ts';
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
        // What the presigned evidence upload sends (content-length is set by the browser itself).
        'Access-Control-Request-Headers': 'content-type,if-none-match,x-amz-checksum-sha256',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')?.split(/\s*,\s*/)).toEqual(expect.arrayContaining(['content-type', 'if-none-match', 'x-amz-checksum-sha256']));
  });

  it('answers the preflight of a presigned URL as S3 does: without judging its signature, even once expired', async () => {
    // The browser preflights the very URL it will PUT, query and all; S3 answers from the bucket's CORS rule alone.
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'evidence', Key: 'cases/c1/photo.jpg', ContentType: 'image/jpeg' }), { expiresIn: 1, signingDate: new Date(Date.now() - 3_600_000) });
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type,if-none-match,x-amz-checksum-sha256' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
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
      await a.send(new PutObjectCommand({ Bucket: 'evidence', Key: 'kept.txt', Body: '征收决定', ContentType: 'text/plain', ChecksumSHA256: createHash('sha256').update('征收决定').digest('base64') }));
    } finally {
      a.destroy();
      await first.stop();
    }

    const second = await startS3Local({ directory, buckets: ['evidence'] });
    const b = new S3Client(localS3ClientConfig(second.endpoint));
    try {
      expect(new TextDecoder().decode(await getBytes(b, 'evidence', 'kept.txt'))).toBe('征收决定');
      // The checksum it was uploaded with is kept too.
      const head = await b.send(new HeadObjectCommand({ Bucket: 'evidence', Key: 'kept.txt', ChecksumMode: 'ENABLED' }));
      expect(head.ChecksumSHA256).toBe(createHash('sha256').update('征收决定').digest('base64'));
    } finally {
      b.destroy();
      await second.stop();
    }
  });
});

const hasAwsCli = !spawnSync('aws', ['--version']).error;
if (!hasAwsCli) console.warn('aws CLI not on PATH: skipping the AWS CLI checks of the local S3');

describe('local S3 enforces what AWS enforces for the evidence bucket', () => {
  const bucket = 'evidence-locked';
  const lock = { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } } as const;
  // The virtual clock: three months behind the wall clock, as after `--clock 2026-09-01`.
  let virtual = Date.now() - 90 * 86_400_000;
  let server: LocalServer;
  let client: S3Client;
  // Object Lock wants a checksum header on every PUT (see the tests of that rule below).
  const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ChecksumSHA256: createHash('sha256').update(Body).digest('base64') }));
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as S3ServiceException);

  beforeAll(async () => {
    server = await startS3Local({ buckets: ['plain', { name: bucket, versioning: true, objectLock: lock }], now: () => virtual });
    client = new S3Client(localS3ClientConfig(server.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('refuses unsigned requests and bad signatures with S3 XML errors', async () => {
    await put('signed.txt', 'evidence');
    const unsigned = await fetch(`${server.endpoint}/${bucket}/signed.txt`, { method: 'DELETE' });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(`${server.endpoint}/${bucket}/signed.txt`)).status).toBe(403);

    const wrongSecret = new S3Client({ ...localS3ClientConfig(server.endpoint), credentials: { accessKeyId: 'local', secretAccessKey: 'guessed' } });
    const wrong = await failure(wrongSecret.send(new GetObjectCommand({ Bucket: bucket, Key: 'signed.txt' })));
    expect([wrong?.name, wrong?.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    const stranger = new S3Client({ ...localS3ClientConfig(server.endpoint), credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'local' } });
    expect((await failure(stranger.send(new GetObjectCommand({ Bucket: bucket, Key: 'signed.txt' }))))?.name).toBe('InvalidAccessKeyId');
    const otherRegion = new S3Client(localS3ClientConfig(server.endpoint, 'cn-northwest-1'));
    expect((await failure(otherRegion.send(new GetObjectCommand({ Bucket: bucket, Key: 'signed.txt' }))))?.name).toBe('AuthorizationHeaderMalformed');
    for (const c of [wrongSecret, stranger, otherRegion]) c.destroy();
  });

  it('refuses a presigned PUT whose signed headers or query were edited', async () => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'plain', Key: 'edited.pdf', ContentType: 'application/pdf' }), { expiresIn: 300, signingDate: new Date(virtual), signableHeaders: new Set(['content-type']) });
    const edited = await fetch(url, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'text/html' } });
    expect(edited.status).toBe(403);
    expect(await edited.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const longer = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'), { method: 'PUT', body: 'x', headers: { 'Content-Type': 'application/pdf' } });
    expect(await longer.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const tooLong = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801'), { method: 'PUT', body: 'x' });
    expect([tooLong.status, await tooLong.text()]).toEqual([400, expect.stringContaining('<Code>AuthorizationQueryParametersError</Code>')]);
    expect((await fetch(url, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'application/pdf' } })).status).toBe(200);
  });

  it('judges presigned URLs and stamps LastModified by its clock, not the wall clock', async () => {
    const signingDate = new Date(virtual);
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'plain', Key: 'clocked.txt' }), { expiresIn: 900, signingDate });
    // Signed with the wall clock, three months in the local cloud's future.
    const early = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'plain', Key: 'clocked.txt' }), { expiresIn: 900 });
    const notYet = await fetch(early, { method: 'PUT', body: 'x' });
    expect([notYet.status, await notYet.text()]).toEqual([403, expect.stringContaining('<Message>Request is not yet valid</Message>')]);

    expect((await fetch(url, { method: 'PUT', body: 'on time' })).status).toBe(200);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'plain', Key: 'clocked.txt' }));
    expect(Math.abs(head.LastModified!.getTime() - signingDate.getTime())).toBeLessThan(2_000);

    virtual += 901_000;
    const late = await fetch(url, { method: 'PUT', body: 'late' });
    const text = await late.text();
    expect(late.status).toBe(403);
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>Request has expired</Message>');
  });

  it('shows versioning and the Object Lock configuration of the template', async () => {
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    expect((await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration).toEqual(lock);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: 'plain' }))).Status).toBeUndefined();
    expect((await failure(client.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain' }))))?.name).toBe('ObjectLockConfigurationNotFoundError');
  });

  it('never lets locked evidence disappear or change: delete markers, retention, no overwrite', async () => {
    const stored = await put('notice.jpg', 'the photo');
    expect(stored.VersionId).toBeTruthy();
    const retention = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'notice.jpg' }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
    expect(retention.Retention!.RetainUntilDate!.getTime() - virtual).toBeGreaterThan(3649 * 86_400_000);

    // A plain DELETE only hides it behind a delete marker, as on a versioned bucket.
    const marker = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'notice.jpg' }));
    expect(marker.DeleteMarker).toBe(true);
    expect((await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'notice.jpg' }))))?.name).toBe('NoSuchKey');
    expect(new TextDecoder().decode(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'notice.jpg', VersionId: stored.VersionId }))).Body!.transformToByteArray())).toBe('the photo');

    // The version itself cannot be deleted while retained.
    const locked = await failure(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'notice.jpg', VersionId: stored.VersionId })));
    expect([locked?.name, locked?.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);

    // Removing the marker brings it back; overwriting it is refused (one version per key locally).
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'notice.jpg', VersionId: marker.VersionId }));
    const overwrite = await failure(put('notice.jpg', 'another photo'));
    expect(overwrite?.$metadata.httpStatusCode).toBe(501);
    const now = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'notice.jpg' }));
    expect([now.VersionId, await now.Body!.transformToString()]).toEqual([stored.VersionId, 'the photo']);
  });

  it('wants a Content-MD5 or x-amz-checksum-* header on a PUT under Object Lock; a checksum in the query is no header', async () => {
    const body = 'photo of the notice';
    const sum = createHash('sha256').update(body).digest('base64');
    const refused = await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'bare.jpg', Body: body })));
    expect([refused?.name, refused?.$metadata.httpStatusCode, refused?.message]).toEqual(['InvalidRequest', 400, 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters']);
    // The SDK's presigner puts a checksum it does not sign as a header into the query string.
    const hoisted = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'query.jpg', ChecksumSHA256: sum }), { expiresIn: 300, signingDate: new Date(virtual) });
    expect(new URL(hoisted).searchParams.get('x-amz-checksum-sha256')).toBe(sum);
    expect((await fetch(hoisted, { method: 'PUT', body })).status).toBe(400);
    // …and on a bucket without Object Lock nothing checks it: other bytes are stored.
    const plain = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'plain', Key: 'query.jpg', ChecksumSHA256: sum }), { expiresIn: 300, signingDate: new Date(virtual) });
    expect((await fetch(plain, { method: 'PUT', body: 'other bytes' })).status).toBe(200);
    // Content-MD5 also satisfies the rule (and is checked).
    const md5 = createHash('md5').update(body).digest('base64');
    expect((await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5.jpg', Body: body, ContentMD5: md5 }))).VersionId).toBeTruthy();
  });

  it('checks an x-amz-checksum-sha256 header against the bytes and returns it when asked (checksum mode)', async () => {
    const body = 'photo of the notice';
    const sum = createHash('sha256').update(body).digest('base64');
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'summed.jpg', ChecksumSHA256: sum }), {
      expiresIn: 300,
      signingDate: new Date(virtual),
      signableHeaders: new Set(['x-amz-checksum-sha256']),
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    const other = await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sum }, body: 'photo of the notic!' });
    expect([other.status, await other.text()]).toEqual([400, expect.stringContaining('<Code>BadDigest</Code>')]);
    const stored = await fetch(url, { method: 'PUT', headers: { 'x-amz-checksum-sha256': sum }, body });
    expect([stored.status, stored.headers.get('x-amz-checksum-sha256')]).toEqual([200, sum]);
    const invalid = await failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'invalid.jpg', Body: body, ChecksumSHA256: 'not base64' })));
    expect([invalid?.name, invalid?.$metadata.httpStatusCode]).toEqual(['InvalidRequest', 400]);

    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'summed.jpg', ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumSHA256, head.ChecksumType]).toEqual([sum, 'FULL_OBJECT']);
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'summed.jpg' }))).ChecksumSHA256).toBeUndefined();
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'summed.jpg', ChecksumMode: 'ENABLED' }));
    expect([got.ChecksumSHA256, await got.Body!.transformToString()]).toEqual([sum, body]);
  });

  it.skipIf(!hasAwsCli)('answers the AWS CLI: versioning, Object Lock configuration, a refused version delete', async () => {
    const endpoint = ['--endpoint-url', server.endpoint, '--output', 'json'];
    const versioning = await awsCli(['s3api', 'get-bucket-versioning', '--bucket', bucket, ...endpoint]);
    expect(versioning.stderr).toBe('');
    expect(JSON.parse(versioning.stdout)).toEqual({ Status: 'Enabled' });
    const config = await awsCli(['s3api', 'get-object-lock-configuration', '--bucket', bucket, ...endpoint]);
    expect(JSON.parse(config.stdout)).toEqual({ ObjectLockConfiguration: lock });
    const head = await awsCli(['s3api', 'head-object', '--bucket', bucket, '--key', 'notice.jpg', ...endpoint]);
    const { VersionId } = JSON.parse(head.stdout) as { VersionId: string };
    const refused = await awsCli(['s3api', 'delete-object', '--bucket', bucket, '--key', 'notice.jpg', '--version-id', VersionId, ...endpoint]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('AccessDenied');
  });
});
