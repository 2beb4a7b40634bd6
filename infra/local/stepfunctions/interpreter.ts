/**
 * Runs the states of one execution (and of its Parallel branches and Map iterations). All
 * waiting goes through the WorkTracker and the virtual clock; nothing here reads real time.
 */
import type { VirtualClock } from '../clock.ts';
import type { AslMachine, AslState, Catcher, Json, JsonObject, Retrier } from './asl.ts';
import { applyOutputPath, applyTemplate, chooseNext, effectiveInput, placeResult, stateOutput } from './data-flow.ts';
import { readPath } from './json-path.ts';
import { StatesError, runtimeError } from './states-error.ts';
import type { TaskTokens } from './task-tokens.ts';
import type { WorkTracker } from './work-tracker.ts';

/** Runs Lambda handlers for Task states. */
export interface LambdaInvoker {
  /** Invokes the function; throws an Error whose `.name` is the Lambda errorType. */
  invoke(functionArn: string, payload: unknown): Promise<unknown>;
}

/** What an execution's states need from the engine around them. */
export interface ExecutionScope {
  clock: VirtualClock;
  invoker: LambdaInvoker;
  work: WorkTracker;
  tokens: TaskTokens;
  executionArn: string;
  region: string;
  /** `$$.Execution` and `$$.StateMachine` of the context object. */
  context: { Execution: JsonObject; StateMachine: JsonObject };
  /** Appends a history event; `details` are in the API's shape (e.g. `{ stateEnteredEventDetails: … }`). */
  record(type: string, details?: Record<string, unknown>): void;
  /** Reports a state's failure (retried, caught or not) for the log. */
  /** `outcome`: what happens next — a retry, a Catch's next state, or the error propagates. */
  stateFailed(stateName: string, error: StatesError, outcome: string): void;
}

interface Step {
  output: Json;
  /** Absent when the execution (or branch) ends here. */
  next?: string;
}

/** AWS's default Task timeout: 99999999 seconds. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
/** AWS fails an execution whose history passes 25,000 events; we count state transitions. */
const MAX_TRANSITIONS = 25_000;
const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const LAMBDA_FUNCTION = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;

/** Whether the local engine can run a Task with this Resource. */
export function isSupportedResource(resource: string): boolean {
  return LAMBDA_INVOKE.test(resource) || LAMBDA_FUNCTION.test(resource);
}

export class Interpreter {
  #scope: ExecutionScope;
  #transitions = 0;

  constructor(scope: ExecutionScope) {
    this.#scope = scope;
  }

  /** Runs a machine (the top level, a branch or an iteration) from StartAt to its end. */
  async run(machine: AslMachine, input: Json, signal: AbortSignal): Promise<Json> {
    let name = machine.StartAt;
    let value = input;
    for (;;) {
      signal.throwIfAborted();
      if (++this.#transitions > MAX_TRANSITIONS) {
        throw runtimeError(`Execution exceeded ${MAX_TRANSITIONS} state transitions (AWS's history limit)`);
      }
      // A loop of instant states must not starve the event loop (HTTP, timers).
      if (this.#transitions % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      const state = machine.States[name];
      if (!state) throw runtimeError(`No state named '${name}'`);
      const step = await this.#runState(name, state, value, signal);
      if (step.next === undefined) return step.output;
      name = step.next;
      value = step.output;
    }
  }

  async #runState(name: string, state: AslState, input: Json, signal: AbortSignal): Promise<Step> {
    const { clock, record } = this.#scope;
    const enteredMs = clock.now();
    record(`${state.Type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
    const attempts = (state.Retry ?? []).map(() => 0);
    for (let retryCount = 0; ; retryCount++) {
      const context = this.#context(name, enteredMs, retryCount);
      try {
        const step = await this.#execute(name, state, input, context, signal);
        record(`${state.Type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(step.output) } });
        return step;
      } catch (caught) {
        signal.throwIfAborted();
        const error = asStatesError(caught);
        if (state.Type === 'Task') this.#recordTaskFailure(state.Resource ?? '', error);
        const retryIndex = (state.Retry ?? []).findIndex((r) => errorMatches(r.ErrorEquals, error));
        const retrier = state.Retry?.[retryIndex];
        const attempt = attempts[retryIndex] ?? 0;
        if (retrier && attempt < (retrier.MaxAttempts ?? 3)) {
          this.#scope.stateFailed(name, error, `retry ${attempt + 1}`);
          attempts[retryIndex] = attempt + 1;
          await this.#scope.work.sleepUntil(clock.now() + retryDelayMs(retrier, attempt), signal);
          continue;
        }
        const catcher = state.Catch?.find((c: Catcher) => errorMatches(c.ErrorEquals, error));
        this.#scope.stateFailed(name, error, catcher ? `caught → ${catcher.Next}` : 'not caught');
        if (!catcher) throw error;
        const output = placeResult(catcher.ResultPath, input, { Error: error.name, Cause: error.message });
        record(`${state.Type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(output) } });
        return { output, next: catcher.Next };
      }
    }
  }

  #recordTaskFailure(resource: string, error: StatesError): void {
    const timedOut = error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout';
    const details = { error: error.name, cause: error.message };
    if (LAMBDA_FUNCTION.test(resource)) {
      const type = timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed';
      this.#scope.record(type, { [`${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`]: details });
      return;
    }
    const type = timedOut ? 'TaskTimedOut' : 'TaskFailed';
    const task = { resourceType: 'lambda', resource: resource.split(':').pop(), ...details };
    this.#scope.record(type, { [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: task });
  }

  #context(name: string, enteredMs: number, retryCount: number): JsonObject {
    return {
      ...this.#scope.context,
      State: { EnteredTime: new Date(enteredMs).toISOString(), Name: name, RetryCount: retryCount },
    };
  }

  async #execute(name: string, state: AslState, input: Json, context: JsonObject, signal: AbortSignal): Promise<Step> {
    const next = state.End ? undefined : state.Next;
    switch (state.Type) {
      case 'Pass': {
        const effective = effectiveInput(state, input, context);
        const result = state.Result !== undefined ? state.Result : effective;
        return { output: stateOutput(state, input, result, context), next };
      }
      case 'Task':
        return { output: stateOutput(state, input, await this.#task(name, state, input, context, signal), context), next };
      case 'Choice': {
        const effective = effectiveInput(state, input, context);
        return { output: applyOutputPath(state, effective, context), next: chooseNext(state, effective, context) };
      }
      case 'Wait': {
        const effective = effectiveInput(state, input, context);
        await this.#scope.work.sleepUntil(this.#waitUntil(state, effective, context), signal);
        return { output: applyOutputPath(state, effective, context), next };
      }
      case 'Succeed':
        return { output: applyOutputPath(state, effectiveInput(state, input, context), context) };
      case 'Fail': {
        const error = state.ErrorPath ? readPath(state.ErrorPath, input, context, 'ErrorPath') : state.Error;
        const cause = state.CausePath ? readPath(state.CausePath, input, context, 'CausePath') : state.Cause;
        throw new StatesError(String(error ?? ''), String(cause ?? ''));
      }
      case 'Parallel': {
        const effective = effectiveInput(state, input, context);
        const results = await this.#concurrently(
          (state.Branches ?? []).map((branch) => (branchSignal: AbortSignal) => this.run(branch, effective, branchSignal)),
          0,
          signal,
        );
        return { output: stateOutput(state, input, results, context), next };
      }
      case 'Map':
        return { output: stateOutput(state, input, await this.#map(state, input, context, signal), context), next };
      default:
        throw runtimeError(`State '${name}' has unknown Type '${String((state as { Type: unknown }).Type)}'`);
    }
  }

  #waitUntil(state: AslState, input: Json, context: JsonObject): number {
    const now = this.#scope.clock.now();
    if (state.Seconds !== undefined) return now + state.Seconds * 1000;
    if (state.Timestamp !== undefined) return timestampMs(state.Timestamp, 'Timestamp');
    if (state.SecondsPath !== undefined) {
      const seconds = readPath(state.SecondsPath, input, context, 'SecondsPath');
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw runtimeError(`SecondsPath '${state.SecondsPath}' gave ${JSON.stringify(seconds)}, not a non-negative integer`);
      }
      return now + seconds * 1000;
    }
    if (state.TimestampPath !== undefined) {
      return timestampMs(readPath(state.TimestampPath, input, context, 'TimestampPath'), 'TimestampPath');
    }
    throw runtimeError('Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath');
  }

  async #task(name: string, state: AslState, input: Json, context: JsonObject, signal: AbortSignal): Promise<Json> {
    const { clock, tokens, record } = this.#scope;
    const resource = state.Resource ?? '';
    const optimized = LAMBDA_INVOKE.exec(resource);
    if (!isSupportedResource(resource)) {
      throw runtimeError(
        `Task '${name}': resource '${resource}' is not supported by the local Step Functions ` +
          '(supported: arn:aws:states:::lambda:invoke[.waitForTaskToken] and Lambda function ARNs)',
      );
    }
    const selected = effectiveInput({ ...state, Parameters: undefined }, input, context);
    const timeoutSeconds = positiveSeconds(state.TimeoutSeconds, state.TimeoutSecondsPath, selected, context);
    const heartbeatSeconds = positiveSeconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, selected, context);
    const startedMs = clock.now();
    const deadlineMs = startedMs + (timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;

    if (!optimized) {
      const payload = effectiveInput(state, input, context);
      record('LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource, input: JSON.stringify(payload) } });
      const result = await this.#invoke(resource, payload, deadlineMs, name);
      record('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(result) } });
      return result;
    }

    const callback = optimized[1] !== undefined;
    const resourceName = callback ? 'invoke.waitForTaskToken' : 'invoke';
    const token = callback
      ? tokens.issue({
          executionArn: this.#scope.executionArn,
          stateName: name,
          startedMs,
          deadlineMs,
          heartbeatMs: heartbeatSeconds === undefined ? undefined : heartbeatSeconds * 1000,
        })
      : undefined;
    try {
      const taskContext = token ? { ...context, Task: { Token: token } } : context;
      const parameters = effectiveInput(state, input, taskContext);
      const functionName = isObject(parameters) ? parameters['FunctionName'] : undefined;
      if (!isObject(parameters) || typeof functionName !== 'string') {
        throw runtimeError(`Task '${name}': lambda:invoke needs Parameters.FunctionName`);
      }
      record('TaskScheduled', {
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: resourceName,
          region: this.#scope.region,
          parameters: JSON.stringify(parameters),
          timeoutInSeconds: timeoutSeconds,
          heartbeatInSeconds: heartbeatSeconds,
        },
      });
      const payload = await this.#invoke(functionName, parameters['Payload'] ?? {}, deadlineMs, name);
      const result = token ? await tokens.wait(token, signal) : { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      record('TaskSucceeded', { taskSucceededEventDetails: { resourceType: 'lambda', resource: resourceName, output: JSON.stringify(result) } });
      return result;
    } finally {
      if (token) tokens.close(token);
    }
  }

  /** Invokes a Lambda with a JSON copy of the payload; its errors become States errors as on AWS. */
  async #invoke(functionArn: string, payload: Json, deadlineMs: number, stateName: string): Promise<Json> {
    const { clock, invoker } = this.#scope;
    const call = (async () => invoker.invoke(functionArn, structuredClone(payload)))();
    call.catch(() => undefined); // the deadline may win the race; the late rejection is expected
    let timer = 0;
    const timeout = new Promise<never>((_, reject) => {
      timer = clock.setTimer(deadlineMs, () =>
        reject(new StatesError('States.Timeout', `Task '${stateName}' ran past its TimeoutSeconds`)),
      );
    });
    try {
      const result = await Promise.race([call, timeout]);
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
    } catch (error) {
      throw lambdaError(error);
    } finally {
      clock.clearTimer(timer);
    }
  }

  async #map(state: AslState, input: Json, context: JsonObject, signal: AbortSignal): Promise<Json[]> {
    if (state.ItemReader !== undefined) throw runtimeError('Map ItemReader (distributed map over S3) is not supported locally');
    const processor = state.ItemProcessor ?? state.Iterator;
    if (!processor) throw runtimeError('Map state needs an ItemProcessor');
    const selected = effectiveInput({ ...state, Parameters: undefined }, input, context);
    const items = state.ItemsPath === undefined ? selected : readPath(state.ItemsPath, selected, context, 'ItemsPath');
    if (!Array.isArray(items)) throw runtimeError(`Map items must be an array, got ${JSON.stringify(items)}`);
    const limit = state.MaxConcurrencyPath
      ? Number(readPath(state.MaxConcurrencyPath, selected, context, 'MaxConcurrencyPath'))
      : (state.MaxConcurrency ?? 0);
    const selector = state.ItemSelector ?? state.Parameters;
    return this.#concurrently(
      items.map((item, index) => (itemSignal: AbortSignal) => {
        const itemInput =
          selector === undefined
            ? item
            : applyTemplate(selector, selected, { ...context, Map: { Item: { Index: index, Value: item } } });
        return this.run(processor, itemInput, itemSignal);
      }),
      limit,
      signal,
    );
  }

  /**
   * Runs jobs as fibers, at most `limit` at once (0 = all). The first failure aborts the rest
   * and becomes the state's error, as a failed branch or iteration does on AWS.
   */
  async #concurrently(jobs: Array<(signal: AbortSignal) => Promise<Json>>, limit: number, signal: AbortSignal): Promise<Json[]> {
    const { work } = this.#scope;
    const abort = new AbortController();
    const jobSignal = AbortSignal.any([signal, abort.signal]);
    const results: Json[] = new Array<Json>(jobs.length).fill(null);
    let nextJob = 0;
    const worker = async (): Promise<void> => {
      while (nextJob < jobs.length) {
        const index = nextJob++;
        results[index] = await jobs[index]!(jobSignal);
      }
    };
    const workers = Math.min(limit > 0 ? limit : jobs.length, jobs.length);
    const all = Promise.all(Array.from({ length: workers }, () => work.fiber(worker)));
    try {
      await work.awaitChildren(all, signal);
      return results;
    } catch (error) {
      abort.abort(error);
      throw error;
    }
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveSeconds(value: number | undefined, path: string | undefined, input: Json, context: Json): number | undefined {
  if (path === undefined) return value;
  const seconds = readPath(path, input, context, path);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0) {
    throw runtimeError(`'${path}' gave ${JSON.stringify(seconds)}, not a positive integer of seconds`);
  }
  return seconds;
}

function timestampMs(value: Json, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw runtimeError(`${field} gave ${JSON.stringify(value)}, not an ISO-8601 timestamp`);
  return ms;
}

/** Wait before retry number `attempt` (0-based), per IntervalSeconds/BackoffRate/MaxDelaySeconds/JitterStrategy. */
export function retryDelayMs(retrier: Retrier, attempt: number): number {
  const seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
  const capped = Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000;
  return retrier.JitterStrategy === 'FULL' ? Math.random() * capped : capped;
}

/** ErrorEquals matching, with States.ALL / States.TaskFailed / States.Timeout as AWS defines them. */
export function errorMatches(errorEquals: string[], error: StatesError): boolean {
  if (error.name === 'States.Runtime') return false; // never retried or caught on AWS
  const timeout = error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout';
  return errorEquals.some(
    (name) =>
      name === error.name ||
      name === 'States.ALL' ||
      (name === 'States.TaskFailed' && !timeout) ||
      (name === 'States.Timeout' && timeout),
  );
}

/** Anything thrown inside the engine as a States error (unexpected ones become States.Runtime). */
export function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  return runtimeError(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** A Lambda failure as Step Functions reports it: Error = errorType, Cause = the Lambda error JSON. */
function lambdaError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}
