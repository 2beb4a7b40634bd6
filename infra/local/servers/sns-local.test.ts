import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from './aws-cli.ts';
import { closeServer, listen, LOCAL_CREDENTIALS, LOCAL_REGION } from './net.ts';
import { startSnsLocal, type RecordedMessage, type SnsLocal } from './sns-local.ts';

const hasAwsCli = !spawnSync('aws', ['--version']).error;
if (!hasAwsCli) console.warn('aws CLI not on PATH: skipping the AWS CLI checks of the local SNS');

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny HTTP subscriber; `failFirst` answers 500 to that many requests before accepting. */
async function startSubscriber(failFirst = 0): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let failures = failFirst;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (failures-- > 0) {
        response.writeHead(500).end();
        return;
      }
      received.push({ headers: request.headers, body });
      response.writeHead(200).end();
    });
  });
  return { url: `${await listen(server)}/alerts`, received, server };
}

const client = (endpoint: string) => new SNSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

describe('local SNS through @aws-sdk/client-sns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sns-local-test-'));
  const seen: RecordedMessage[] = [];
  let sns: SnsLocal;
  let sdk: SNSClient;
  let subscriber: Awaited<ReturnType<typeof startSubscriber>>;

  beforeAll(async () => {
    sns = await startSnsLocal({ recordFile: join(dir, 'alerts.jsonl'), onMessage: (m) => seen.push(m), retryDelaysMs: [10, 10] });
    sdk = client(sns.endpoint);
    subscriber = await startSubscriber();
  });
  afterAll(async () => {
    sdk?.destroy();
    await sns?.stop();
    await closeServer(subscriber.server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates topics idempotently by name and lists them', async () => {
    const first = await sdk.send(new CreateTopicCommand({ Name: 'overdue-alerts' }));
    const again = await sdk.send(new CreateTopicCommand({ Name: 'overdue-alerts' }));
    expect(first.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:overdue-alerts');
    expect(again.TopicArn).toBe(first.TopicArn);
    expect(sns.createTopic('overdue-alerts')).toBe(first.TopicArn);
    const listed = await sdk.send(new ListTopicsCommand({}));
    expect(listed.Topics).toEqual([{ TopicArn: first.TopicArn }]);
  });

  it('delivers only the message matching the filter policy, as a real SNS notification', async () => {
    const { TopicArn } = await sdk.send(new CreateTopicCommand({ Name: 'case-events' }));
    const { SubscriptionArn } = await sdk.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'http',
        Endpoint: subscriber.url,
        Attributes: { FilterPolicy: JSON.stringify({ agency: ['land-bureau'] }) },
        ReturnSubscriptionArn: true,
      }),
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:case-events:[0-9a-f-]{36}$/);

    const matching = await sdk.send(
      new PublishCommand({
        TopicArn,
        Subject: '逾期提醒',
        Message: '{"caseId":"c-1"}',
        MessageAttributes: {
          agency: { DataType: 'String', StringValue: 'land-bureau' },
          overdueDays: { DataType: 'Number', StringValue: '3' },
          copies: { DataType: 'String.Array', StringValue: '["leading-group"]' },
        },
      }),
    );
    await sdk.send(
      new PublishCommand({ TopicArn, Message: 'not for you', MessageAttributes: { agency: { DataType: 'String', StringValue: 'police' } } }),
    );
    await sns.waitForDeliveries();

    expect(subscriber.received).toHaveLength(1);
    const [delivery] = subscriber.received;
    expect(delivery!.headers['x-amz-sns-message-type']).toBe('Notification');
    expect(delivery!.headers['x-amz-sns-topic-arn']).toBe(TopicArn);
    expect(delivery!.headers['x-amz-sns-subscription-arn']).toBe(SubscriptionArn);
    expect(delivery!.headers['content-type']).toBe('text/plain; charset=UTF-8');
    const notification = JSON.parse(delivery!.body) as Record<string, unknown>;
    expect(notification).toMatchObject({
      Type: 'Notification',
      MessageId: matching.MessageId,
      TopicArn,
      Subject: '逾期提醒',
      Message: '{"caseId":"c-1"}',
      SignatureVersion: '1',
      Signature: 'local-unsigned',
      MessageAttributes: {
        agency: { Type: 'String', Value: 'land-bureau' },
        overdueDays: { Type: 'Number', Value: '3' },
        copies: { Type: 'String.Array', Value: '["leading-group"]' },
      },
    });
    expect(new Date(notification.Timestamp as string).toISOString()).toBe(notification.Timestamp);
    expect(notification.UnsubscribeURL).toContain(encodeURIComponent(SubscriptionArn!));

    const recorded = sns.messages().filter((m) => m.topicArn === TopicArn);
    expect(recorded.map((m) => m.subscriptionArns.length)).toEqual([1, 0]);
    expect(seen.filter((m) => m.topicArn === TopicArn)).toEqual(recorded);
    const lines = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedMessage);
    expect(lines.filter((m) => m.topicArn === TopicArn)).toEqual(recorded);
  });

  it('reads and changes subscription attributes, and unsubscribes', async () => {
    const { TopicArn } = await sdk.send(new CreateTopicCommand({ Name: 'attrs' }));
    const { SubscriptionArn } = await sdk.send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriber.url, ReturnSubscriptionArn: true }),
    );
    const policy = JSON.stringify({ days: [{ numeric: ['>', 30] }] });
    await sdk.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: policy }));
    const { Attributes } = await sdk.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toMatchObject({
      FilterPolicy: policy,
      FilterPolicyScope: 'MessageAttributes',
      Endpoint: subscriber.url,
      PendingConfirmation: 'false',
    });

    const listed = await sdk.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(listed.Subscriptions).toEqual([
      { TopicArn, Protocol: 'http', SubscriptionArn, Owner: '000000000000', Endpoint: subscriber.url },
    ]);
    await sdk.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect((await sdk.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
  });

  it('answers errors in the SNS error shape', async () => {
    const missing = sdk.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' }));
    await expect(missing).rejects.toBeInstanceOf(NotFoundException);
    const { TopicArn } = await sdk.send(new CreateTopicCommand({ Name: 'errors' }));
    const badPolicy = sdk.send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriber.url, Attributes: { FilterPolicy: '{"a":"b"}' } }),
    );
    await expect(badPolicy).rejects.toBeInstanceOf(InvalidParameterException);
    const badProtocol = sdk.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@b.c' }));
    await expect(badProtocol).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('local SNS delivery retries and state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sns-local-test-'));
  const servers: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('retries a failing subscriber until it accepts', async () => {
    const subscriber = await startSubscriber(2);
    servers.push({ stop: () => closeServer(subscriber.server) });
    const sns = await startSnsLocal({ retryDelaysMs: [10, 10, 10] });
    servers.push(sns);
    const sdk = client(sns.endpoint);
    const { TopicArn } = await sdk.send(new CreateTopicCommand({ Name: 'retry' }));
    await sdk.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriber.url }));
    await sdk.send(new PublishCommand({ TopicArn, Message: 'eventually' }));
    await sns.waitForDeliveries();
    sdk.destroy();
    expect(subscriber.received.map((r) => JSON.parse(r.body).Message)).toEqual(['eventually']);
  });

  it('keeps topics and subscriptions across a restart', async () => {
    const stateFile = join(dir, 'sns.json');
    const subscriber = await startSubscriber();
    servers.push({ stop: () => closeServer(subscriber.server) });

    const first = await startSnsLocal({ stateFile });
    const a = client(first.endpoint);
    const TopicArn = first.createTopic('kept');
    await a.send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriber.url, Attributes: { FilterPolicy: '{"agency":["land"]}' } }),
    );
    a.destroy();
    await first.stop();

    const second = await startSnsLocal({ stateFile });
    servers.push(second);
    const b = client(second.endpoint);
    await b.send(new PublishCommand({ TopicArn, Message: 'filtered out', MessageAttributes: { agency: { DataType: 'String', StringValue: 'police' } } }));
    await b.send(new PublishCommand({ TopicArn, Message: 'after restart', MessageAttributes: { agency: { DataType: 'String', StringValue: 'land' } } }));
    await second.waitForDeliveries();
    b.destroy();
    expect(subscriber.received.map((r) => JSON.parse(r.body).Message)).toEqual(['after restart']);
  });
});

describe('local SNS answers what the AWS CLI asks, and keeps alerts on this machine', () => {
  const servers: Array<{ stop(): Promise<void> }> = [];
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('lists subscriptions and topic attributes in SNS shapes, through the SDK and the CLI', async () => {
    const sns = await startSnsLocal({ allowRemote: false });
    servers.push(sns);
    const sdk = client(sns.endpoint);
    const TopicArn = sns.createTopic('alerts');
    const { SubscriptionArn } = await sdk.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/alerts', ReturnSubscriptionArn: true }));
    const listed = await sdk.send(new ListSubscriptionsCommand({}));
    expect(listed.Subscriptions).toEqual([{ TopicArn, Protocol: 'http', SubscriptionArn, Owner: '000000000000', Endpoint: 'http://127.0.0.1:9/alerts' }]);
    expect(listed.NextToken).toBeUndefined();
    const { Attributes } = await sdk.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ TopicArn, Owner: '000000000000', SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    expect(JSON.parse(Attributes!.Policy!).Statement[0].Resource).toBe(TopicArn);
    await expect(sdk.send(new GetTopicAttributesCommand({ TopicArn: `${TopicArn}-missing` }))).rejects.toMatchObject({ name: 'NotFoundException' });
    sdk.destroy();
    if (!hasAwsCli) return;
    const cli = await awsCli(['sns', 'list-subscriptions', '--endpoint-url', sns.endpoint, '--output', 'json']);
    expect(cli.stderr).toBe('');
    expect((JSON.parse(cli.stdout) as { Subscriptions: Array<{ SubscriptionArn: string }> }).Subscriptions.map((s) => s.SubscriptionArn)).toEqual([SubscriptionArn]);
    const attributes = await awsCli(['sns', 'get-topic-attributes', '--topic-arn', TopicArn, '--endpoint-url', sns.endpoint, '--output', 'json']);
    expect(JSON.parse(attributes.stdout)).toMatchObject({ Attributes: { TopicArn, SubscriptionsConfirmed: '1' } });
  });

  it('refuses endpoints off this machine unless told to allow them', async () => {
    const sns = await startSnsLocal({ allowRemote: false });
    servers.push(sns);
    const sdk = client(sns.endpoint);
    const TopicArn = sns.createTopic('alerts');
    for (const Endpoint of ['https://land-bureau.example/alerts', 'http://10.0.0.8/alerts', 'http://[2001:db8::1]/a']) {
      await expect(sdk.send(new SubscribeCommand({ TopicArn, Protocol: Endpoint.split(':')[0], Endpoint }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringContaining('LOCAL_SNS_ALLOW_REMOTE=true'),
      });
    }
    for (const Endpoint of ['http://localhost:8080/a', 'http://127.0.0.2/a', 'http://[::1]:8080/a']) {
      await expect(sdk.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint }))).resolves.toBeDefined();
    }
    sdk.destroy();

    const open = await startSnsLocal({ allowRemote: true });
    servers.push(open);
    const opened = client(open.endpoint);
    await expect(opened.send(new SubscribeCommand({ TopicArn: open.createTopic('alerts'), Protocol: 'https', Endpoint: 'https://land-bureau.example/alerts' }))).resolves.toBeDefined();
    opened.destroy();
  });
});
