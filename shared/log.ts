import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Structured JSON logs and CloudWatch metrics (embedded metric format) through Powertools for AWS
 * Lambda, behind the small facade the call sites use. Never log personal ID numbers: callers pass
 * masked values only. The service name is set in code (`useService`), not per-function
 * environment, because the local cloud runs every function in one process with one environment.
 */
type Fields = Record<string, unknown>;

const DEFAULT_SERVICE = 'land-expropriation';
let logger = new Logger({ serviceName: DEFAULT_SERVICE, logLevel: levelOf(process.env.LOG_LEVEL) });
let metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'LandExpropriation', serviceName: DEFAULT_SERVICE });
let levelSeen = process.env.LOG_LEVEL;

function levelOf(value: string | undefined): LogLevel {
  const level = (value ?? 'info').toUpperCase();
  return (['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'].includes(level) ? level : 'INFO') as LogLevel;
}

/** LOG_LEVEL is read on every write, as before: tests and the bench set it after loading handlers. */
function current(): Logger {
  if (process.env.LOG_LEVEL !== levelSeen) {
    levelSeen = process.env.LOG_LEVEL;
    logger.setLogLevel(levelOf(levelSeen));
  }
  return logger;
}

export const log = {
  info: (message: string, fields: Fields = {}) => current().info(message, fields),
  warn: (message: string, fields: Fields = {}) => current().warn(message, fields),
  error: (message: string, fields: Fields = {}) => current().error(message, fields),
};

/** Names this function's logs and metrics (`service` key and dimension); once, at cold start. */
export function useService(serviceName: string): void {
  logger = logger.createChild({ serviceName });
  metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'LandExpropriation', serviceName });
}

/** Ties the log lines of one invocation together: the API request id, or the workflow execution. */
export function beginInvocation(correlationId: string | undefined, context?: { awsRequestId?: string; functionName?: string }): void {
  const active = current();
  active.resetKeys();
  if (context?.awsRequestId) active.appendKeys({ function_request_id: context.awsRequestId });
  if (correlationId) active.setCorrelationId(correlationId);
}

export type MetricName = 'AlertsSent' | 'DeadlinesMet' | 'DeadlinesMissed' | 'ReconcileFailures';

export const metric = {
  /** Buffered; written once per invocation by `flushMetrics`. */
  count: (name: MetricName, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
  /** A refused request, by its error code (its own dimension, so written at once). */
  refusal: (code: string) => {
    if (levelOf(process.env.LOG_LEVEL) === 'SILENT') return;
    const single = metrics.singleMetric();
    single.addDimension('code', code);
    single.addMetric('Refusals', MetricUnit.Count, 1);
  },
};

/** Writes this invocation's metrics (one EMF line); nothing when there are none or output is silenced. */
export function flushMetrics(): void {
  if (!metrics.hasStoredMetrics()) return;
  if (levelOf(process.env.LOG_LEVEL) === 'SILENT') metrics.clearMetrics();
  else metrics.publishStoredMetrics();
}
