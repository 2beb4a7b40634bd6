import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS SDK clients, built once per cold start. Endpoints come from the SDK's standard settings
 * (`AWS_ENDPOINT_URL_<SERVICE>`), so the same bundle talks to AWS or to the local cloud; the one
 * local-only switch is path-style S3 addressing, which the local S3 server needs.
 */
export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function s3Client(): S3Client {
  const local = process.env.S3_FORCE_PATH_STYLE === 'true';
  return new S3Client(local ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
}

export const sfnClient = () => new SFNClient({});
export const snsClient = () => new SNSClient({});
export const kmsClient = () => new KMSClient({});
