export { LocalStepFunctions } from './local-step-functions.ts';
export type {
  ExecutionInfo,
  ExecutionStatus,
  HistoryEvent,
  LambdaInvoker,
  LocalStepFunctionsOptions,
  OpenTask,
  StateMachineInfo,
  StateMachineUsage,
} from './local-step-functions.ts';
export { validateDefinition } from './validate.ts';
export { StepFunctionsApiError } from './api-error.ts';
export { StatesError } from './states-error.ts';
