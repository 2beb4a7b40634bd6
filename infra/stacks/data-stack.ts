import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';

/** Named so that the functions' permissions read as what they are (and need no cross-stack token). */
export const evidenceBucketName = (stage: string, account: string, region: string) => `land-exprop-evidence-${stage}-${account}-${region}`;

/** The sparse cross-case index both tables carry. */
const GSI1: dynamodb.GlobalSecondaryIndexProps = {
  indexName: 'gsi1',
  partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
};

/**
 * Everything stateful: the case and audit tables, the evidence bucket, the keys and the alerts
 * topic. Kept apart from the functions so a redeploy of code never touches data.
 */
export class DataStack extends Stack {
  readonly cases: dynamodb.Table;
  readonly audit: dynamodb.Table;
  readonly evidence: s3.Bucket;
  readonly alerts: sns.Topic;
  readonly dataKey: kms.Key;
  readonly piiKey: kms.Key;
  readonly piiMacKey: kms.Key;
  readonly cursorKey: kms.Key;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    super(scope, id, props);
    const { config } = props;

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Encrypts cases, audit trail, evidence and alerts',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.piiKey = new kms.Key(this, 'PiiKey', {
      description: 'Per-field encryption of personal ID numbers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.piiMacKey = new kms.Key(this, 'PiiMacKey', {
      description: 'Keyed hash (HMAC) of personal ID numbers for look-ups',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.piiMacKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'HMAC keys cannot be rotated automatically by KMS; rotating would change every stored look-up hash.',
    });
    this.cursorKey = new kms.Key(this, 'CursorKey', {
      description: 'Derives the secret that signs paging cursors (tamper-evident cursors)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'HMAC keys cannot be rotated automatically by KMS; replacing this key only invalidates open paging cursors (clients start the list again).',
    });

    // Single-table design: pk = case (PROJECT#id, later HOUSEHOLD#id …), sk = record kind; the
    // sparse gsi1 serves cross-case lists (live deadlines, agency inboxes, overdue records).
    this.cases = new dynamodb.Table(this, 'Cases', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cases.addGlobalSecondaryIndex(GSI1);

    // Append-only: the resource policy denies changing or removing an entry, whoever asks.
    this.audit = new dynamodb.Table(this, 'Audit', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AuditIsAppendOnly',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
            resources: ['*'],
          }),
        ],
      }),
    });
    this.audit.addGlobalSecondaryIndex(GSI1);

    const accessLogs = new s3.Bucket(this, 'EvidenceAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(3650) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the evidence bucket; logging it into itself would loop.',
    });

    // Evidence holds up in court only if nobody can change it: versioned, Object Lock in
    // compliance mode, KMS-encrypted, private, TLS only.
    this.evidence = new s3.Bucket(this, 'Evidence', {
      bucketName: evidenceBucketName(config.stage, this.account, this.region),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(config.evidenceRetentionDays)),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Browsers of the console PUT evidence through presigned URLs: only PUT, only the headers
      // the presigned upload signs (content-length is the browser's own), only those origins.
      ...(config.consoleOrigins.length > 0
        ? {
            cors: [
              {
                allowedOrigins: config.consoleOrigins,
                allowedMethods: [s3.HttpMethods.PUT],
                allowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256'],
                exposedHeaders: ['ETag', 'x-amz-version-id'],
                maxAge: 3000,
              },
            ],
          }
        : {}),
    });

    this.alerts = new sns.Topic(this, 'Alerts', {
      displayName: 'Land expropriation overdue alerts',
      masterKey: this.dataKey,
      enforceSSL: true,
    });
  }
}
