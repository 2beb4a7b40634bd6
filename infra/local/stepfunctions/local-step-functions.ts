/**
 * The local cloud's Step Functions: registers real (CDK-synthesized) ASL definitions, runs their
 * executions on the virtual clock, and serves the Step Functions JSON 1.0 API so handlers using
 * `@aws-sdk/client-sfn` work unchanged against it.
 */
import { randomUUID } from 'node:crypto';
import { closeServer, listen } from '../servers/net.ts';
import { createServer, type Server } from 'node:http';
import type { VirtualClock } from '../clock.ts';
import { StepFunctionsApiError } from './api-error.ts';
import { nestedMachines, type AslMachine, type Json } from './asl.ts';
import { createApiHandler } from './http-api.ts';
import { Interpreter, asStatesError, isSupportedResource, type LambdaInvoker } from './interpreter.ts';
import { PAYLOAD_LIMIT_BYTES, StatesError } from './states-error.ts';
import { TaskTokens, type OpenTask } from './task-tokens.ts';
import { validateDefinition } from './validate.ts';
import { WorkTracker } from './work-tracker.ts';

export type { LambdaInvoker } from './interpreter.ts';
export type { OpenTask } from './task-tokens.ts';

export interface LocalStepFunctionsOptions {
  clock: VirtualClock;
  invoker: LambdaInvoker;
  region?: string;
  accountId?: string;
  /** Receives one short line per execution start/end and per state failure. */
  log?: (line: string) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineInfo {
  name: string;
  arn: string;
  definition: AslMachine;
  /** The definition as registered (JSON text). */
  definitionText: string;
  roleArn: string;
  createdMs: number;
}

/** An execution as DescribeExecution shows it; times are virtual epoch milliseconds. */
export interface ExecutionInfo {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text, as the API carries it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startMs: number;
  stopMs?: number;
}

/** One GetExecutionHistory event; `details` is keyed as in the API (`stateEnteredEventDetails`, …). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestampMs: number;
  type: string;
  details: Record<string, unknown>;
}

/**
 * What a state machine's executions have cost so far, as AWS bills Standard workflows: a state
 * transition per state entered and per retry of a state; history events as GetExecutionHistory lists them.
 */
export interface StateMachineUsage {
  executions: number;
  stateTransitions: number;
  historyEvents: number;
}

interface ExecutionRecord extends ExecutionInfo {
  machineName: string;
  events: HistoryEvent[];
  controller: AbortController;
  timeoutTimer?: number;
}

// Step Functions' name rule: no whitespace, brackets, wildcards, punctuation or control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what the rule refuses.
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  #clock: VirtualClock;
  #invoker: LambdaInvoker;
  #log: (line: string) => void;
  #work: WorkTracker;
  #tokens: TaskTokens;
  #machines = new Map<string, StateMachineInfo>();
  #executions = new Map<string, ExecutionRecord>();
  #usage = new Map<string, StateMachineUsage>();
  #server: Server | undefined;

  constructor(opts: LocalStepFunctionsOptions) {
    this.#clock = opts.clock;
    this.#invoker = opts.invoker;
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '000000000000';
    this.#log = opts.log ?? (() => undefined);
    this.#work = new WorkTracker(opts.clock);
    this.#tokens = new TaskTokens(opts.clock, this.#work);
    opts.clock.addSettler(() => this.whenIdle());
  }

  /** The ARN AWS would give a state machine of this name here. */
  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /**
   * Registers a state machine after validating it (throws InvalidDefinition listing the problems).
   * Registering an ARN again replaces its definition; running executions keep the one they started with.
   */
  createStateMachine(input: { name: string; arn?: string; definition: string | object; roleArn?: string }): StateMachineInfo {
    let definition: unknown;
    try {
      definition = typeof input.definition === 'string' ? JSON.parse(input.definition) : structuredClone(input.definition);
    } catch (error) {
      throw new StepFunctionsApiError('InvalidDefinition', `Definition of ${input.name} is not JSON: ${(error as Error).message}`);
    }
    if (typeof definition !== 'object' || definition === null) {
      throw new StepFunctionsApiError('InvalidDefinition', `Definition of ${input.name} is not an object`);
    }
    const problems = validateDefinition(definition);
    if (problems.length > 0) {
      throw new StepFunctionsApiError('InvalidDefinition', `State machine ${input.name} is invalid:\n- ${problems.join('\n- ')}`);
    }
    const machine: StateMachineInfo = {
      name: input.name,
      arn: input.arn ?? this.stateMachineArn(input.name),
      definition: definition as AslMachine,
      definitionText: typeof input.definition === 'string' ? input.definition : JSON.stringify(input.definition),
      roleArn: input.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-step-functions`,
      createdMs: this.#clock.now(),
    };
    for (const resource of unsupportedResources(machine.definition)) {
      this.#log(`sfn ${machine.name}: Task resource ${resource} is not supported locally; executions reaching it fail`);
    }
    this.#machines.set(machine.arn, machine);
    return machine;
  }

  stateMachines(): StateMachineInfo[] {
    return [...this.#machines.values()];
  }

  describeStateMachine(arn: string): StateMachineInfo {
    const machine = this.#machines.get(arn);
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /**
   * Starts an execution. A name already used for this state machine returns the existing execution
   * if it is RUNNING with the same input (AWS's idempotency), else ExecutionAlreadyExists.
   */
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string; startMs: number } {
    const machine = this.describeStateMachine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    if (!NAME.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = input.input ?? '{}';
    if (Buffer.byteLength(inputText, 'utf8') > PAYLOAD_LIMIT_BYTES) {
      // The API's own constraint on `input` (AWS leaves the value out of the message).
      throw new StepFunctionsApiError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT_BYTES}`,
      );
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(inputText) as Json;
    } catch {
      throw new StepFunctionsApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(JSON.parse(existing.input)) === JSON.stringify(parsed)) {
        return { executionArn, startMs: existing.startMs };
      }
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startMs = this.#clock.now();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input: inputText,
      startMs,
      machineName: machine.name,
      events: [],
      controller: new AbortController(),
    };
    this.#executions.set(executionArn, record);
    this.#usageOf(machine.name).executions++;
    this.#event(record, 'ExecutionStarted', { executionStartedEventDetails: { input: inputText, roleArn: machine.roleArn } });
    this.#log(`sfn start ${machine.name}/${name}`);
    const { TimeoutSeconds } = machine.definition;
    if (TimeoutSeconds !== undefined) {
      record.timeoutTimer = this.#clock.setTimer(startMs + TimeoutSeconds * 1000, () =>
        this.#end(record, 'TIMED_OUT', { error: 'States.Timeout', cause: `Execution ran past its TimeoutSeconds (${TimeoutSeconds})` }),
      );
    }
    const interpreter = new Interpreter({
      clock: this.#clock,
      invoker: this.#invoker,
      work: this.#work,
      tokens: this.#tokens,
      executionArn,
      region: this.region,
      context: {
        Execution: { Id: executionArn, Input: parsed, Name: name, RoleArn: machine.roleArn, StartTime: new Date(startMs).toISOString(), RedriveCount: 0 },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
      record: (type, details) => this.#event(record, type, details),
      stateFailed: (stateName, error, outcome) => {
        // AWS bills each retry of a state as a transition of its own.
        if (outcome.startsWith('retry')) this.#usageOf(machine.name).stateTransitions++;
        // A caught error is the definition's own path (e.g. the weekly re-check's timeout), not a failure.
        outcome.startsWith('caught')
          ? this.#log(`sfn ${machine.name}/${name} state ${stateName}: ${error.name} handled by its Catch (${outcome.replace('caught ', '')})`)
          : this.#log(`sfn ${machine.name}/${name} state ${stateName}: ${error.name} (${outcome}): ${shortCause(error.message)}`);
      },
    });
    void this.#work.fiber(async () => {
      try {
        const output = await interpreter.run(machine.definition, parsed, record.controller.signal);
        this.#end(record, 'SUCCEEDED', { output: JSON.stringify(output) });
      } catch (caught) {
        const error = asStatesError(caught);
        this.#end(record, 'FAILED', { error: error.name, cause: error.message });
      }
    });
    return { executionArn, startMs };
  }

  describeExecution(executionArn: string): ExecutionInfo {
    return view(this.#record(executionArn));
  }

  /** Stops a running execution (status ABORTED); a finished one is left as it is. */
  stopExecution(executionArn: string, error?: string, cause?: string): { stopMs: number } {
    const record = this.#record(executionArn);
    this.#end(record, 'ABORTED', { error, cause });
    return { stopMs: record.stopMs ?? this.#clock.now() };
  }

  /** Executions, most recently started first, optionally of one state machine and/or status. */
  executions(filter: { stateMachineArn?: string; status?: ExecutionStatus } = {}): ExecutionInfo[] {
    return [...this.#executions.values()]
      .filter((e) => (!filter.stateMachineArn || e.stateMachineArn === filter.stateMachineArn) && (!filter.status || e.status === filter.status))
      .reverse()
      .map(view);
  }

  history(executionArn: string): HistoryEvent[] {
    return [...this.#record(executionArn).events];
  }

  /** Executions, state transitions and history events so far, per state machine name (a snapshot). */
  usage(): Record<string, StateMachineUsage> {
    return Object.fromEntries([...this.#usage].map(([name, usage]) => [name, { ...usage }]));
  }

  /** `output` is JSON text, as in the API. */
  sendTaskSuccess(taskToken: string, output: string): void {
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new StepFunctionsApiError('InvalidOutput', 'Invalid Output: not JSON');
    }
    this.#tokens.succeed(taskToken, parsed);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.#tokens.fail(taskToken, new StatesError(error ?? '', cause ?? ''));
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.#tokens.heartbeat(taskToken);
  }

  /** Callback tasks waiting for SendTaskSuccess/Failure. */
  openTasks(): OpenTask[] {
    return this.#tokens.list();
  }

  /** Resolves once every execution is only waiting (on the clock or a task token) or done. */
  whenIdle(): Promise<void> {
    return this.#work.whenIdle();
  }

  /** Serves the Step Functions JSON 1.0 API on 127.0.0.1 (port 0 picks a free one). */
  async listen(port: number): Promise<{ endpoint: string }> {
    if (this.#server) throw new Error('LocalStepFunctions is already listening');
    const server = createServer(createApiHandler(this));
    this.#server = server;
    return { endpoint: await listen(server, port) };
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await closeServer(server);
  }

  #record(executionArn: string): ExecutionRecord {
    const record = this.#executions.get(executionArn);
    if (!record) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  #usageOf(machineName: string): StateMachineUsage {
    const usage = this.#usage.get(machineName) ?? { executions: 0, stateTransitions: 0, historyEvents: 0 };
    this.#usage.set(machineName, usage);
    return usage;
  }

  #event(record: ExecutionRecord, type: string, details: Record<string, unknown> = {}): number {
    const usage = this.#usageOf(record.machineName);
    usage.historyEvents++;
    if (type.endsWith('StateEntered')) usage.stateTransitions++;
    const id = record.events.length + 1;
    record.events.push({ id, previousEventId: id - 1, timestampMs: this.#clock.now(), type, details });
    return id;
  }

  #end(record: ExecutionRecord, status: Exclude<ExecutionStatus, 'RUNNING'>, result: { output?: string; error?: string; cause?: string }): void {
    if (record.status !== 'RUNNING') return;
    Object.assign(record, { status, stopMs: this.#clock.now() }, result);
    if (record.timeoutTimer !== undefined) this.#clock.clearTimer(record.timeoutTimer);
    if (status === 'ABORTED' || status === 'TIMED_OUT') {
      record.controller.abort(new StatesError(`States.${status === 'ABORTED' ? 'Aborted' : 'Timeout'}`, 'Execution ended'));
    }
    const detail = status === 'SUCCEEDED' ? { output: result.output } : { error: result.error, cause: result.cause };
    const eventType = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted' }[status];
    this.#event(record, eventType, { [`${eventType[0]!.toLowerCase()}${eventType.slice(1)}EventDetails`]: detail });
    const why = status === 'SUCCEEDED' ? '' : ` ${result.error ?? ''}${result.cause ? `: ${shortCause(result.cause)}` : ''}`;
    this.#log(`sfn end ${record.machineName}/${record.name} ${status}${why}`);
  }
}

function view(record: ExecutionRecord): ExecutionInfo {
  const { machineName: _m, events: _e, controller: _c, timeoutTimer: _t, ...info } = record;
  return { ...info };
}

/** Keeps log lines short; a Lambda error's Cause is JSON whose errorMessage is what matters. */
function shortCause(cause: string): string {
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // not JSON: use as is
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function unsupportedResources(machine: AslMachine): string[] {
  const found: string[] = [];
  for (const state of Object.values(machine.States)) {
    const resource = state.Resource;
    if (state.Type === 'Task' && resource !== undefined && !isSupportedResource(resource)) {
      found.push(resource);
    }
    for (const inner of nestedMachines(state)) found.push(...unsupportedResources(inner));
  }
  return found;
}
