import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { snsClient } from './aws/sns.ts';
import { loadConfig } from '../config.ts';
import type { Alert, AlertPublisher } from '../alerts/alert.ts';

/** Publishes alerts to the SNS topic with the attributes agencies filter on. */
export class SnsAlertPublisher implements AlertPublisher {
  #sns: SNSClient;
  #topicArn: string;

  constructor(sns: SNSClient, topicArn: string) {
    this.#sns = sns;
    this.#topicArn = topicArn;
  }

  async publish(alert: Alert): Promise<void> {
    await this.#sns.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: alert.subject,
        Message: JSON.stringify(alert),
        MessageAttributes: {
          agency: { DataType: 'String.Array', StringValue: JSON.stringify(alert.agencies) },
          kind: { DataType: 'String', StringValue: alert.kind },
          project: { DataType: 'String', StringValue: alert.projectId },
          jurisdiction: { DataType: 'String', StringValue: alert.jurisdiction },
          severity: { DataType: 'String', StringValue: alert.severity },
        },
      }),
    );
  }
}

export function alertPublisherFromEnv(): SnsAlertPublisher {
  return new SnsAlertPublisher(snsClient(), loadConfig('ALERTS_TOPIC_ARN').ALERTS_TOPIC_ARN);
}
