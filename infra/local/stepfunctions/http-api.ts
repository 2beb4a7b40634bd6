/**
 * The Step Functions JSON 1.0 wire protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`.
 * Dates go out as epoch seconds, errors as HTTP 400 `{ "__type", "message" }` so the SDK throws
 * its named exceptions. Signatures are not checked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StepFunctionsApiError } from './api-error.ts';
import type { ExecutionInfo, ExecutionStatus, LocalStepFunctions } from './local-step-functions.ts';

type Body = Record<string, unknown>;
type Action = (body: Body) => Body;

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function str(body: Body, field: string, required: true): string;
function str(body: Body, field: string, required?: false): string | undefined;
function str(body: Body, field: string, required = false): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new StepFunctionsApiError('ValidationException', `Missing required field ${field}`);
    return undefined;
  }
  if (typeof value !== 'string') throw new StepFunctionsApiError('ValidationException', `${field} must be a string`);
  return value;
}

/** Pages a list the way the API does: nextToken is an opaque offset. */
function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const max = typeof body['maxResults'] === 'number' && body['maxResults'] > 0 ? body['maxResults'] : 100;
  const from = Number(str(body, 'nextToken') ?? 0) || 0;
  const next = from + max;
  return { items: items.slice(from, next), ...(next < items.length ? { nextToken: String(next) } : {}) };
}

function executionView(e: ExecutionInfo): Body {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startMs),
    stopDate: seconds(e.stopMs),
  };
}

function actions(sfn: LocalStepFunctions): Record<string, Action> {
  return {
    StartExecution: (b) => {
      const { executionArn, startMs } = sfn.startExecution({
        stateMachineArn: str(b, 'stateMachineArn', true),
        name: str(b, 'name'),
        input: str(b, 'input'),
      });
      return { executionArn, startDate: seconds(startMs) };
    },
    DescribeExecution: (b) => {
      const e = sfn.describeExecution(str(b, 'executionArn', true));
      return {
        ...executionView(e),
        input: e.input,
        inputDetails: { included: true },
        output: e.output,
        ...(e.output === undefined ? {} : { outputDetails: { included: true } }),
        error: e.error,
        cause: e.cause,
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
      };
    },
    StopExecution: (b) => {
      const { stopMs } = sfn.stopExecution(str(b, 'executionArn', true), str(b, 'error'), str(b, 'cause'));
      return { stopDate: seconds(stopMs) };
    },
    ListExecutions: (b) => {
      const status = str(b, 'statusFilter') as ExecutionStatus | undefined;
      const stateMachineArn = str(b, 'stateMachineArn');
      if (stateMachineArn) sfn.describeStateMachine(stateMachineArn);
      const { items, nextToken } = page(sfn.executions({ stateMachineArn, status }), b);
      return { executions: items.map(executionView), nextToken };
    },
    GetExecutionHistory: (b) => {
      const events = sfn.history(str(b, 'executionArn', true));
      if (b['reverseOrder'] === true) events.reverse();
      const { items, nextToken } = page(events, b);
      return {
        events: items.map((e) => ({ id: e.id, previousEventId: e.previousEventId, timestamp: seconds(e.timestampMs), type: e.type, ...e.details })),
        nextToken,
      };
    },
    SendTaskSuccess: (b) => {
      sfn.sendTaskSuccess(str(b, 'taskToken', true), str(b, 'output', true));
      return {};
    },
    SendTaskFailure: (b) => {
      sfn.sendTaskFailure(str(b, 'taskToken', true), str(b, 'error'), str(b, 'cause'));
      return {};
    },
    SendTaskHeartbeat: (b) => {
      sfn.sendTaskHeartbeat(str(b, 'taskToken', true));
      return {};
    },
    ListStateMachines: (b) => {
      const { items, nextToken } = page(sfn.stateMachines(), b);
      return {
        stateMachines: items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(m.createdMs) })),
        nextToken,
      };
    },
    DescribeStateMachine: (b) => {
      const m = sfn.describeStateMachine(str(b, 'stateMachineArn', true));
      return {
        stateMachineArn: m.arn,
        name: m.name,
        status: 'ACTIVE',
        definition: m.definitionText,
        roleArn: m.roleArn,
        type: 'STANDARD',
        creationDate: seconds(m.createdMs),
      };
    },
    CreateStateMachine: (b) => {
      const name = str(b, 'name', true);
      const definition = str(b, 'definition', true);
      const existing = sfn.stateMachines().find((m) => m.arn === sfn.stateMachineArn(name));
      if (existing) {
        // AWS: the same definition again is a no-op, a different one a conflict.
        if (existing.definitionText !== definition) {
          throw new StepFunctionsApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${existing.arn}'`);
        }
        return { stateMachineArn: existing.arn, creationDate: seconds(existing.createdMs) };
      }
      const m = sfn.createStateMachine({ name, definition, roleArn: str(b, 'roleArn') });
      return { stateMachineArn: m.arn, creationDate: seconds(m.createdMs) };
    },
  };
}

/** A Node http request handler serving the Step Functions API of `sfn`. */
export function createApiHandler(sfn: LocalStepFunctions): (req: IncomingMessage, res: ServerResponse) => void {
  const table = actions(sfn);
  const send = (res: ServerResponse, status: number, body: Body, errorType?: string): void => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': crypto.randomUUID(),
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(body));
  };
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.startsWith('AWSStepFunctions.') ? table[target.slice('AWSStepFunctions.'.length)] : undefined;
      try {
        if (req.method !== 'POST' || !action) {
          throw new StepFunctionsApiError('UnknownOperationException', `Unsupported operation '${target}'`);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Body;
        try {
          body = text ? (JSON.parse(text) as Body) : {};
        } catch {
          throw new StepFunctionsApiError('SerializationException', 'Request body is not JSON');
        }
        send(res, 200, action(body));
      } catch (error) {
        if (error instanceof StepFunctionsApiError) send(res, 400, { __type: error.name, message: error.message }, error.name);
        else send(res, 500, { __type: 'InternalFailure', message: (error as Error).message ?? String(error) }, 'InternalFailure');
      }
    });
  };
}
