import { S3Client } from '@aws-sdk/client-s3';

/** The S3 client; the one local-only switch is path-style addressing, which the local S3 server needs. */
export function s3Client(): S3Client {
  const local = process.env.S3_FORCE_PATH_STYLE === 'true';
  return new S3Client(local ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
}
