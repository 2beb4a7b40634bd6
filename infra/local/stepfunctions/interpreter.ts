/**
 * Runs the states of one execution (and of its Parallel branches and Map iterations). All
 * waiting goes through the WorkTracker and the virtual clock; nothing here reads real time.
 */
import type { VirtualClock } from '../clock.ts';
import type { AslMachine, AslState, Catcher, Json, JsonObject, Retrier } from './asl.ts';
import { applyOutputPath, applyTemplate, chooseNext, effectiveInput, evaluateValue, placeResult, stateOutput } from './data-flow.ts';
import { readPath, selectPath } from './json-path.ts';
import { PAYLOAD_LIMIT_BYTES, StatesError, dataLimitError, runtimeError } from './states-error.ts';
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
  /** Appends a history event and returns its id; `details` are in the API's shape (e.g. `{ stateEnteredEventDetails: … }`). */
  record(type: string, details?: Record<string, unknown>): number;
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
    const inputText = JSON.stringify(input);
    const enteredId = record(`${state.Type}StateEntered`, { stateEnteredEventDetails: { name, input: inputText } });
    // A state's input is a previous state's output or a branch/iteration input AWS also measures.
    if (tooLarge(inputText)) throw dataLimitError(name);
    const attempts = (state.Retry ?? []).map(() => 0);
    for (let retryCount = 0; ; retryCount++) {
      const context = this.#context(name, enteredMs, retryCount);
      try {
        const step = await this.#execute(name, state, input, context, signal);
        const outputText = JSON.stringify(step.output);
        if (tooLarge(outputText)) throw dataLimitError(name);
        record(`${state.Type}StateExited`, { stateExitedEventDetails: { name, output: outputText } });
        return step;
      } catch (caught) {
        signal.throwIfAborted();
        const error = located(asStatesError(caught), name, enteredId);
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
        // ErrorPath/CausePath take any path (filters too) or an intrinsic, as on AWS.
        const error = state.ErrorPath ? evaluateValue(state.ErrorPath, input, context, 'ErrorPath') : state.Error;
        const cause = state.CausePath ? evaluateValue(state.CausePath, input, context, 'CausePath') : state.Cause;
        throw new StatesError(failText(error), failText(cause));
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
    if (state.Timestamp !== undefined) {
      const ms = rfc3339Ms(state.Timestamp);
      if (ms === undefined) {
        throw runtimeError(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${state.Timestamp}`);
      }
      return ms;
    }
    if (state.SecondsPath !== undefined) {
      const path = state.SecondsPath;
      const seconds = readPath(path, input, context, `the field 'SecondsPath'`);
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
        throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${javaText(seconds)}`);
      }
      if (seconds < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${path} == ${seconds}`);
      return now + seconds * 1000;
    }
    if (state.TimestampPath !== undefined) {
      const path = state.TimestampPath;
      const value = readPath(path, input, context, `the field 'TimestampPath'`);
      const ms = typeof value === 'string' ? rfc3339Ms(value) : undefined;
      if (ms === undefined) {
        throw runtimeError(
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${javaText(value)}`,
        );
      }
      return ms;
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
      const result = await this.#invoke(resource, payload, deadlineMs, name, resource);
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
      const payload = await this.#invoke(functionName, parameters['Payload'] ?? {}, deadlineMs, name, 'lambda');
      const result = token ? await tokens.wait(token, signal) : { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      record('TaskSucceeded', { taskSucceededEventDetails: { resourceType: 'lambda', resource: resourceName, output: JSON.stringify(result) } });
      return result;
    } finally {
      if (token) tokens.close(token);
    }
  }

  /**
   * Invokes a Lambda with a JSON copy of the payload; its errors become States errors as on AWS, and
   * so does a result over the payload limit (named `task` as AWS names it: the function ARN, or `lambda`).
   */
  async #invoke(functionArn: string, payload: Json, deadlineMs: number, stateName: string, task: string): Promise<Json> {
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
      const text = result === undefined ? 'null' : JSON.stringify(result);
      if (tooLarge(text)) throw dataLimitError(task);
      return JSON.parse(text) as Json;
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
    const limit = state.MaxConcurrencyPath === undefined ? (state.MaxConcurrency ?? 0) : maxConcurrency(state.MaxConcurrencyPath, selected, context);
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
  const seconds = selectPath(path, input, context);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0) {
    throw runtimeError(`'${path}' gave ${JSON.stringify(seconds)}, not a positive integer of seconds`);
  }
  return seconds;
}

/**
 * Epoch ms of an RFC 3339 date-time as AWS accepts it — uppercase T, Z or ±hh:mm, any number of
 * fractional digits — or undefined (no zone, a space for T, month 13, hour 25, Feb 30 …).
 */
export function rfc3339Ms(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  const valid =
    check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day &&
    hour < 24 && minute < 60 && second < 60;
  if (!valid) return undefined;
  const zone = m[8]!;
  if (zone === 'Z') return utc + Math.floor(ms);
  const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
  if (zh > 23 || zm > 59) return undefined;
  return utc + Math.floor(ms) - (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
}

/** A value as AWS quotes it in causes: strings bare, the rest as JSON. */
function javaText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fail's Error/Cause from a path: a string as is, anything else as JSON text. */
function failText(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** MaxConcurrencyPath must select an integer ≥ 0 (0 = no limit); AWS fails anything else with States.Runtime. */
function maxConcurrency(path: string, input: Json, context: Json): number {
  const value = readPath(path, input, context, `the field 'MaxConcurrencyPath'`);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw runtimeError(`The MaxConcurrencyPath field refers to value "${javaText(value)}" which is not a valid integer: ${path}`);
  }
  // AWS hangs on a negative value (recorded by LocalStack); failing says more.
  if (value < 0) throw runtimeError(`The MaxConcurrencyPath field refers to a negative value: ${path} == ${value}`);
  return value;
}

function tooLarge(jsonText: string): boolean {
  return jsonText.length > PAYLOAD_LIMIT_BYTES / 3 && Buffer.byteLength(jsonText, 'utf8') > PAYLOAD_LIMIT_BYTES;
}

const LOCATED = 'An error occurred while executing the state';

/** AWS prefixes a States.Runtime cause with the state and the id of its StateEntered event. */
function located(error: StatesError, stateName: string, enteredId: number): StatesError {
  if (error.name !== 'States.Runtime' || error.message.startsWith(LOCATED)) return error;
  return runtimeError(`${LOCATED} '${stateName}' (entered at the event id #${enteredId}). ${error.message}`);
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
