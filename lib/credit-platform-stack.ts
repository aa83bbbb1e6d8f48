/**
 * The platform in one stack, composed of one construct per bounded context; every resource
 * comes from lib/platform.ts so the deployed platform and the local runtime cannot drift.
 */
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.ts';
import { ApiConstruct } from './api-construct.ts';
import { CapacityAlarms } from './capacity-alarms.ts';
import { ConsoleConstruct } from './console-construct.ts';
import type { CreditFunction } from './credit-function.ts';
import { ExportConstruct } from './export-construct.ts';
import { IngestConstruct } from './ingest-construct.ts';
import { OperationsConstruct } from './operations-construct.ts';
import { ProviderAccessConstruct } from './provider-access-construct.ts';
import { FUNCTIONS, type FunctionName } from './platform.ts';
import { RightsConstruct } from './rights-construct.ts';
import { QueryBudgetConstruct } from './query-budget-construct.ts';
import { SchedulesConstruct } from './schedules-construct.ts';
import type { StageConfig } from './stage.ts';
import { StorageConstruct } from './storage-construct.ts';

export interface CreditPlatformStackProps extends StackProps {
  config: StageConfig;
}

export class CreditPlatformStack extends Stack {
  readonly config: StageConfig;
  readonly storage: StorageConstruct;
  readonly ingest: IngestConstruct;
  readonly api: ApiConstruct;
  readonly schedules: SchedulesConstruct;
  readonly console: ConsoleConstruct;
  readonly providerAccess: ProviderAccessConstruct;
  readonly rights: RightsConstruct;
  readonly exports: ExportConstruct;
  readonly queryBudgets: QueryBudgetConstruct;
  readonly capacityAlarms: CapacityAlarms;
  /** The stage's alarm topic: the alarm and OK action of every alarm in the stack. */
  readonly alarmTopic: AlarmTopic;
  readonly operations: OperationsConstruct;
  /** Every function of lib/platform.ts FUNCTIONS, whichever context owns its trigger. */
  readonly functions: Partial<Record<FunctionName, CreditFunction>>;

  constructor(scope: Construct, id: string, props: CreditPlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    Tags.of(this).add('app', 'credit-platform');
    Tags.of(this).add('stage', config.stage);

    this.storage = new StorageConstruct(this, 'Storage', { config });
    this.ingest = new IngestConstruct(this, 'Ingest', { config, storage: this.storage });
    // the console's site first: the sign-in's app client sends users back to its URL
    this.console = new ConsoleConstruct(this, 'Console', { config, accessLogBucket: this.storage.accessLogBucket });
    this.api = new ApiConstruct(this, 'Api', { config, resources: this.ingest.resources, consoleUrl: this.console.url });
    this.console.deploy({ apiUrl: this.api.stage.url, signIn: this.api.consoleSignIn.settings });
    this.schedules = new SchedulesConstruct(this, 'Schedules', { config, resources: this.ingest.resources });
    this.providerAccess = new ProviderAccessConstruct(this, 'ProviderAccess', { uploads: this.storage.buckets.uploads, filesKey: this.storage.filesKey });
    this.rights = new RightsConstruct(this, 'Rights', { config });
    this.exports = new ExportConstruct(this, 'Exports', { config });
    this.queryBudgets = new QueryBudgetConstruct(this, 'QueryBudgets', { config });
    this.capacityAlarms = new CapacityAlarms(this, 'CapacityAlarms', {
      namePrefix: config.namePrefix,
      subjectTables: { legalSubjects: this.storage.tables.legalSubjects, naturalSubjects: this.storage.tables.naturalSubjects },
      recordChunks: this.ingest.queues.recordChunks,
    });
    this.functions = { ...this.ingest.functions, ...this.api.functions, ...this.schedules.functions };
    for (const [name, def] of Object.entries(FUNCTIONS)) {
      if (!(name in this.functions)) {
        throw new Error(`lib/platform.ts: function ${name} has trigger kind "${def.trigger.kind}", which no construct deploys.`);
      }
    }
    this.operations = new OperationsConstruct(this, 'Operations', { config, functions: this.functions, httpApi: this.api.httpApi });
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { config });

    new CfnOutput(this, 'HttpApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UploadBucketName', {
      value: this.storage.buckets.uploads.bucketName,
      description: 'Providers put files under incoming/{provider}/{item}/{file}',
    });
    new CfnOutput(this, 'ProviderUploadRoleArn', {
      value: this.providerAccess.uploadRole.roleArn,
      description: 'Providers assume this role with session tag provider={code} to upload under incoming/{code}/',
    });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: 'The web console (管理控制台); users sign in through the user pool hosted UI' });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'Every alarm of the stage notifies this topic (subscribers: context alarmEmails, alarmSms)',
    });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboard.dashboardName, description: 'The CloudWatch dashboard of the platform metrics' });
  }
}
