import { createServer } from 'node:net';
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, DependencyUnavailableError, httpStatusOf, isDependencyOutage } from './errors.ts';

/** An AWS SDK service exception as the SDK builds it from a response. */
const awsError = (name: string, status: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, ...extra });

describe('dependency outages (503) told apart from bugs (500)', () => {
  it('a real SDK call to a closed port (ECONNREFUSED) is an outage', async () => {
    const port = await closedPort();
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const error = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })).catch((e: unknown) => e);
    client.destroy();
    expect(isDependencyOutage(error)).toBe(true);
    expect(httpStatusOf(error)).toBe(503);
  });

  it.each([
    ['socket timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['happy-eyeballs AggregateError', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), { code: undefined })],
    ['aborted by a timeout signal', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['DynamoDB throughput exceeded', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } })],
    ['ThrottlingException', awsError('ThrottlingException', 400, { $retryable: { throttling: true } })],
    ['S3 SlowDown', awsError('SlowDown', 503)],
    ['ServiceUnavailable', awsError('ServiceUnavailable', 503)],
    ['InternalServerError', awsError('InternalServerError', 500)],
    ['an unmodelled AWS 502', awsError('UnknownError', 502)],
    ['a transaction cancelled by throttling', new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 }, CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] })],
    ['an outage as the cause', new Error('wrapped', { cause: awsError('ServiceUnavailableException', 503) })],
  ])('%s → 503', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
    expect(httpStatusOf(error)).toBe(503);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a failed condition the code did not expect', new ConditionalCheckFailedException({ message: 'failed', $metadata: { httpStatusCode: 400 } })],
    ['missing permissions (a deployment bug)', awsError('AccessDeniedException', 400)],
    ['a request the SDK refused', awsError('ValidationException', 400)],
    ['a transaction cancelled by a condition', new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 }, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] })],
    ['not an error at all', 'boom'],
    ['nothing', undefined],
  ])('%s → 500', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
    expect(httpStatusOf(error)).toBe(500);
  });

  it('domain errors keep their own status; DependencyUnavailableError is a 503', () => {
    expect(httpStatusOf(new ConflictError('x', '冲突'))).toBe(409);
    expect(isDependencyOutage(new ConflictError('x', '冲突', { cause: 'ECONNREFUSED' }))).toBe(false);
    expect(httpStatusOf(new DependencyUnavailableError('dependency.unavailable', '不可用'))).toBe(503);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
