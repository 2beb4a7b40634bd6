/** Shared set-up for this folder's tests: an engine on a virtual clock, fake Lambdas, a real SDK client. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { VirtualClock } from '../clock.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const T0 = Date.parse('2026-10-01T02:00:00.000Z');

export const fnArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export interface LambdaCall {
  functionName: string;
  payload: any;
  atMs: number;
}

export type FakeHandler = (payload: any) => unknown;

export async function startEngine(handlers: Record<string, FakeHandler> = {}) {
  const clock = new VirtualClock(T0 - Date.now());
  const calls: LambdaCall[] = [];
  const lines: string[] = [];
  const sfn = new LocalStepFunctions({
    clock,
    region: 'us-east-1',
    accountId: '123456789012',
    log: (line) => lines.push(line),
    invoker: {
      async invoke(functionArn, payload) {
        const functionName = functionArn.split(':')[6] ?? functionArn;
        calls.push({ functionName, payload, atMs: clock.now() });
        const handler = handlers[functionName];
        if (!handler) throw new Error(`no fake Lambda ${functionName}`);
        return handler(payload);
      },
    },
  });
  const { endpoint } = await sfn.listen(0);
  const client = new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const callsOf = (name: string) => calls.filter((c) => c.functionName === name);
  const stop = async () => {
    client.destroy();
    await sfn.close();
    clock.dispose();
  };
  return { clock, sfn, client, calls, callsOf, lines, endpoint, stop };
}

/** A Lambda error whose `.name` is the errorType, as the invoker contract requires. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
