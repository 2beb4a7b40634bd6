import { createRequire } from 'node:module';
import { nestedMachines, type AslMachine, type AslState } from './asl.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: Array<{ 'Error code'?: string; Message?: string; message?: string }> };

// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const TERMINAL_TYPES = new Set(['Choice', 'Succeed', 'Fail']);

/**
 * Problems in a state machine definition, [] if none: asl-validator's schema and path checks, plus
 * our own graph checks (every target exists, every state is reachable, every non-terminal state
 * goes somewhere, every callback task has a timeout) and the local engine's limits (JSONPath only).
 */
export function validateDefinition(definition: object): string[] {
  // asl-validator compiles its JSON schemas on every call (~200 ms): remember verdicts.
  const key = JSON.stringify(definition);
  const known = verdicts.get(key);
  if (known) return [...known];
  const problems = check(definition);
  verdicts.set(key, problems);
  return [...problems];
}

const verdicts = new Map<string, string[]>();

function check(definition: object): string[] {
  // asl-validator annotates the object it is given, so hand it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  const problems = result.isValid
    ? []
    : result.errors.map((e) => [e['Error code'], e.Message ?? e.message].filter(Boolean).join(': '));
  const machine = definition as Partial<AslMachine>;
  if (machine.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata is not supported locally: use JSONPath');
  problems.push(...graphProblems(machine, 'top level'));
  return [...new Set(problems)];
}

function graphProblems(machine: Partial<AslMachine>, where: string): string[] {
  const states = machine.States;
  if (typeof states !== 'object' || states === null) return [`${where}: no States`];
  const problems: string[] = [];
  const start = machine.StartAt;
  if (typeof start !== 'string' || !Object.hasOwn(states, start)) {
    problems.push(`${where}: StartAt '${String(start)}' is not a state`);
  }
  for (const [name, state] of Object.entries(states)) {
    for (const target of targets(state)) {
      if (!Object.hasOwn(states, target)) problems.push(`${where}: state '${name}' goes to missing state '${target}'`);
    }
    if (!TERMINAL_TYPES.has(state.Type) && state.End !== true && state.Next === undefined) {
      problems.push(`${where}: state '${name}' has neither Next nor End`);
    }
    const callback = typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken');
    const bounded = ['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'].some((f) =>
      Object.hasOwn(state, f),
    );
    if (callback && !bounded) {
      problems.push(
        `${where}: callback task '${name}' has no TimeoutSeconds, TimeoutSecondsPath or HeartbeatSeconds, so it could wait for ever`,
      );
    }
    if (state.QueryLanguage === 'JSONata') problems.push(`${where}: state '${name}' uses JSONata, not supported locally`);
    for (const [i, inner] of nestedMachines(state).entries()) {
      problems.push(...graphProblems(inner, `${where} > ${name}${state.Branches ? ` branch ${i + 1}` : ''}`));
    }
  }
  if (typeof start === 'string' && Object.hasOwn(states, start)) {
    const reached = new Set<string>([start]);
    const queue = [start];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const target of targets(states[name]!)) {
        if (Object.hasOwn(states, target) && !reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    for (const name of Object.keys(states)) {
      if (!reached.has(name)) problems.push(`${where}: state '${name}' is not reachable from StartAt`);
    }
  }
  return problems;
}

function targets(state: AslState): string[] {
  const all = [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next), ...(state.Catch ?? []).map((c) => c.Next)];
  return all.filter((t): t is string => typeof t === 'string');
}
