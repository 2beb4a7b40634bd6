import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * What the local stand-ins of AWS JSON 1.1 services (KMS, Secrets Manager) share: the error shape
 * (`__type`, message, `x-amzn-ErrorType`) and the answer the SDK clients parse.
 */
export class AwsJsonError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

/** The operation's input: the request body as a JSON object (an empty body is `{}`). */
export function jsonInput(raw: Buffer): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    throw new AwsJsonError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof input !== 'object' || input === null) throw new AwsJsonError('SerializationException', 'Request body must be an object');
  return input as Record<string, unknown>;
}

/** Answers one request with the operation's result, or its error as the service shapes it (anything unexpected: `internalType`, 500). */
export async function answerJson(response: ServerResponse, run: () => Promise<object> | object, internalType: string): Promise<void> {
  let status = 200;
  let body: object;
  try {
    body = await run();
  } catch (error) {
    const known = error instanceof AwsJsonError ? error : new AwsJsonError(internalType, String(error), 500);
    status = known.status;
    body = { __type: known.type, message: known.message };
    response.setHeader('x-amzn-ErrorType', known.type);
  }
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
  response.end(JSON.stringify(body));
}
