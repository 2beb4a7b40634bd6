import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The bucket another bucket's server access logs (and CloudFront's standard logs) go to: private,
 * TLS only, versioned, kept ten years and retained. Object ownership "bucket owner preferred":
 * CloudFront writes its logs with ACLs.
 */
export function accessLogBucket(scope: Construct, id: string, of: string): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(3650) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: `This is the access-log bucket of ${of}; logging it into itself would loop.` });
  return bucket;
}
