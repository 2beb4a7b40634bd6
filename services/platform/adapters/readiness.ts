import { loadConfig } from '../../../shared/config.ts';
import type { ReadinessProbe } from '../app/readiness.ts';

// One attempt, short socket timeouts: a readiness probe reports an outage, it does not ride it out.
const quick = { maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 } };

/**
 * The platform function's readiness probes, built at the first readiness request: the S3 client is
 * imported only then, so a cold start serving `GET /health` or the other routes does not load it.
 */
export async function readinessProbes(): Promise<ReadinessProbe[]> {
  const config = loadConfig('CASES_TABLE', 'EVIDENCE_BUCKET', 'WATCH_WORKFLOW_ARN');
  const [{ DynamoDBClient, GetItemCommand }, { HeadBucketCommand, S3Client }, { DescribeStateMachineCommand, SFNClient }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-sfn'),
  ]);
  const dynamodb = new DynamoDBClient(quick);
  const local = process.env.S3_FORCE_PATH_STYLE === 'true';
  const s3 = new S3Client({ ...quick, ...(local ? { forcePathStyle: true } : {}) });
  const sfn = new SFNClient(quick);
  return [
    {
      name: 'table',
      // A fixed key that never exists: a GetItem that answers "no item" proves the table serves reads.
      check: async (abortSignal) => {
        await dynamodb.send(new GetItemCommand({ TableName: config.CASES_TABLE, Key: { pk: { S: 'HEALTH' }, sk: { S: 'READINESS' } } }), { abortSignal });
      },
    },
    {
      name: 'evidenceBucket',
      check: async (abortSignal) => {
        await s3.send(new HeadBucketCommand({ Bucket: config.EVIDENCE_BUCKET }), { abortSignal });
      },
    },
    {
      name: 'workflow',
      check: async (abortSignal) => {
        await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: config.WATCH_WORKFLOW_ARN }), { abortSignal });
      },
    },
  ];
}
