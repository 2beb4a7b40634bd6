/**
 * How the local SNS delivers to an http/https subscriber: the real SNS notification body and
 * headers, POSTed with retries. Notifications are not signed (`Signature: 'local-unsigned'`).
 */

/** A message attribute as SNS notifications carry it. */
export interface NotificationAttribute {
  Type: string;
  Value: string;
}

/** A published message, as recorded in memory and in the JSONL record file. */
export interface RecordedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes: Record<string, NotificationAttribute>;
  /** ISO-8601 UTC. */
  timestamp: string;
  /** Subscriptions whose filter policy matched (delivery is attempted to each). */
  subscriptionArns: string[];
}

/** An HTTP request ready to send. */
export interface NotificationRequest {
  headers: Record<string, string>;
  body: string;
}

/** The request SNS sends a subscriber; `raw` is RawMessageDelivery (the bare message as body). */
export function notificationRequest(
  record: RecordedMessage,
  subscriptionArn: string,
  raw: boolean,
  snsEndpoint: string,
): NotificationRequest {
  const body = raw
    ? record.message
    : JSON.stringify({
        Type: 'Notification',
        MessageId: record.messageId,
        TopicArn: record.topicArn,
        ...(record.subject === undefined ? {} : { Subject: record.subject }),
        Message: record.message,
        Timestamp: record.timestamp,
        SignatureVersion: '1',
        Signature: 'local-unsigned',
        SigningCertURL: `${snsEndpoint}/local-unsigned.pem`,
        UnsubscribeURL: `${snsEndpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
        ...(Object.keys(record.messageAttributes).length ? { MessageAttributes: record.messageAttributes } : {}),
      });
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=UTF-8',
    'User-Agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': record.messageId,
    'x-amz-sns-topic-arn': record.topicArn,
    'x-amz-sns-subscription-arn': subscriptionArn,
    ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
  };
  return { headers, body };
}

/**
 * POSTs until a 2xx, waiting `retryDelaysMs[i]` before retry i+1. Resolves undefined on success
 * or when `signal` aborts (server stopping), else the last failure.
 */
export async function post(
  url: string,
  request: NotificationRequest,
  retryDelaysMs: number[],
  signal: AbortSignal,
): Promise<string | undefined> {
  let failure = '';
  for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
    if (attempt > 0 && !(await sleep(retryDelaysMs[attempt - 1]!, signal))) return undefined;
    try {
      const timeout = AbortSignal.any([signal, AbortSignal.timeout(15_000)]);
      const response = await fetch(url, { method: 'POST', ...request, signal: timeout });
      await response.body?.cancel();
      if (response.ok) return undefined;
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (signal.aborted) return undefined;
      failure = error instanceof Error ? error.message : String(error);
    }
  }
  return `${failure} after ${retryDelaysMs.length + 1} attempts`;
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
