/**
 * CDK app: `npx cdk synth -c stage=dev|prod` (cdk.json defaults to dev).
 * Optional context: corsAllowedOrigins=https://console.example.org,https://admin.example.org
 *   nationalEndpoint=https://... (the national platform's record endpoint)
 *   exportSchedule='cron(0 2 * * ? *)' (the national export's schedule, Beijing time)
 *   alarmEmails=ops@example.org,oncall@example.org  alarmSms=+8613800000000 (who the stage's alarms notify)
 *   publicRateLimit=120 publicRateWindowSeconds=60 (requests per client and window on the anonymous routes)
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseRateLimit } from '../functions/core/rate-limit.ts';
import { CreditPlatformStack } from '../lib/credit-platform-stack.ts';
import { parseAlarmSubscriptions, parseNationalEndpoint, parseOrigins, parseScheduleExpression, parseStage, stageConfig } from '../lib/stage.ts';

const app = new App();
const stage = parseStage(app.node.tryGetContext('stage'));
const config = stageConfig(
  stage,
  parseOrigins(app.node.tryGetContext('corsAllowedOrigins')),
  {
    nationalEndpoint: parseNationalEndpoint(app.node.tryGetContext('nationalEndpoint')),
    exportSchedule: parseScheduleExpression(app.node.tryGetContext('exportSchedule'), 'exportSchedule'),
  },
  parseAlarmSubscriptions(app.node.tryGetContext('alarmEmails'), app.node.tryGetContext('alarmSms')),
  parseRateLimit(app.node.tryGetContext('publicRateLimit'), app.node.tryGetContext('publicRateWindowSeconds')),
);

new CreditPlatformStack(app, config.namePrefix, {
  stackName: config.namePrefix,
  description: `Public credit information platform (${stage})`,
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// cdk-nag 3 is a policy-validation plugin: any unacknowledged finding fails synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
