/**
 * Alarms reach a person: one KMS-encrypted SNS topic per stage, subscribed by the e-mail addresses
 * (and, outside China, the phone numbers) of the stage config, and an Aspect that makes it the
 * alarm and OK action of every CloudWatch alarm in the stack — alarms added by any construct,
 * now or later, get it without naming the topic.
 */
import { Annotations, Aspects, CfnCondition, Fn, Aws, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { StageConfig } from './stage.ts';

export interface AlarmTopicProps {
  config: StageConfig;
}

export class AlarmTopic extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: `${config.namePrefix}: alarm notifications`,
      alias: `alias/${config.namePrefix}/alarms`,
      enableKeyRotation: true,
      pendingWindow: config.keyPendingWindow,
      removalPolicy: config.dataRemovalPolicy,
    });
    // CloudWatch publishes the alarm to the encrypted topic on the stack's behalf
    this.key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${config.namePrefix}-alarms`,
      displayName: `${config.namePrefix} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });

    for (const email of config.alarmSubscriptions.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    if (config.alarmSubscriptions.sms.length > 0) {
      // SNS text messaging is not offered in the China Regions (docs/deploy.md)
      if (!Token.isUnresolved(stack.region) && stack.region.startsWith('cn-')) {
        throw new Error(`alarmSms: SNS does not send text messages in ${stack.region} (China partition); subscribe e-mail addresses (alarmEmails) instead.`);
      }
      const outsideChina = Token.isUnresolved(stack.region)
        ? new CfnCondition(this, 'SmsAvailable', { expression: Fn.conditionNot(Fn.conditionEquals(Aws.PARTITION, 'aws-cn')) })
        : undefined;
      for (const phone of config.alarmSubscriptions.sms) {
        const subscription = new sns.Subscription(this, `Sms${phone.replace(/\D/g, '')}`, {
          topic: this.topic,
          protocol: sns.SubscriptionProtocol.SMS,
          endpoint: phone,
        });
        if (outsideChina) (subscription.node.defaultChild as sns.CfnSubscription).cfnOptions.condition = outsideChina;
      }
    }
    if (config.alarmSubscriptions.emails.length + config.alarmSubscriptions.sms.length === 0) {
      Annotations.of(this).addWarningV2(
        'credit-platform:alarms-unsubscribed',
        `No one is subscribed to ${config.namePrefix}-alarms: set -c alarmEmails=ops@example.org (and optionally alarmSms=+86...) so alarms reach a person.`,
      );
    }

    Aspects.of(stack).add(new AlarmActions(new SnsAction(this.topic)));
  }
}

/**
 * Adds the action as alarm action and OK action to every alarm it visits (once each): the L2
 * `cloudwatch.Alarm`, and an L1 `CfnAlarm` made without one.
 */
export class AlarmActions {
  constructor(private readonly action: cloudwatch.IAlarmAction) {}

  visit(node: IConstruct): void {
    if (node instanceof cloudwatch.Alarm) {
      node.addAlarmAction(this.action);
      node.addOkAction(this.action);
      return;
    }
    if (node instanceof cloudwatch.CfnAlarm && !(node.node.scope instanceof cloudwatch.Alarm)) {
      const arn = this.action.bind(node, node as unknown as cloudwatch.IAlarm).alarmActionArn;
      node.alarmActions = [...((node.alarmActions as string[] | undefined) ?? []), arn];
      node.okActions = [...((node.okActions as string[] | undefined) ?? []), arn];
    }
  }
}
