/**
 * Scheduled work: one EventBridge Scheduler schedule per `schedule` trigger in lib/platform.ts,
 * with an explicit retry policy and a dead-letter queue (the defaults are 185 retries over
 * 24 hours and no DLQ), plus the scheduled functions themselves.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CreditFunction } from './credit-function.ts';
import { newDeadLetterAlarm, newDeadLetterQueue } from './dead-letter.ts';
import { acknowledge } from './nag.ts';
import { FUNCTIONS, type FunctionName } from './platform.ts';
import { entriesOf, pascal } from './manifest.ts';
import type { StageConfig } from './stage.ts';
import { createPlatformFunction, type PlatformResources } from './wiring.ts';

/** A scheduled run that failed this often, or is this old, goes to the DLQ; the next tick runs anyway. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

/**
 * LambdaInvoke grants the scheduler role lambda:InvokeFunction on the function ARN and on
 * "ARN:*" (every version and alias); the schedule invokes the unqualified ARN only.
 */
class InvokeUnqualifiedFunction extends LambdaInvoke {
  private readonly invoked: lambda.IFunction;

  constructor(fn: lambda.IFunction, props: ScheduleTargetBaseProps) {
    super(fn, props);
    this.invoked = fn;
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invoked.functionArn] }));
  }
}

export interface SchedulesConstructProps {
  config: StageConfig;
  resources: PlatformResources;
}

export class SchedulesConstruct extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules: Partial<Record<FunctionName, scheduler.Schedule>> = {};
  readonly functions: Partial<Record<FunctionName, CreditFunction>> = {};

  constructor(scope: Construct, id: string, props: SchedulesConstructProps) {
    super(scope, id);
    const { config, resources } = props;
    const stack = Stack.of(this);

    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: config.namePrefix,
      removalPolicy: config.dataRemovalPolicy,
    });
    this.deadLetterQueue = newDeadLetterQueue(this, 'ScheduleDlq');
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      "This queue is itself the dead-letter queue of the EventBridge Scheduler targets (each schedule's DeadLetterConfig, which cdk-nag does not follow); it is alarmed and never consumed automatically.",
    );
    newDeadLetterAlarm(this, 'ScheduleDlqAlarm', this.deadLetterQueue, `${config.namePrefix}-schedules-dlq`, 'Scheduled runs');

    for (const [name, def] of entriesOf(FUNCTIONS)) {
      const trigger = def.trigger;
      if (trigger.kind === 'queue' && trigger.schedule) {
        // the schedule puts a message on the function's queue (whose consumer IngestConstruct wires)
        this.schedules[name] = new scheduler.Schedule(this, `${pascal(name)}Schedule`, {
          scheduleGroup: this.group,
          description: def.description,
          schedule: scheduler.ScheduleExpression.expression(config.scheduleExpressions[name] ?? trigger.schedule.expression, TimeZone.ASIA_SHANGHAI),
          target: new SqsSendMessage(resources.queues[trigger.queue], {
            retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            maxEventAge: SCHEDULE_MAX_EVENT_AGE,
            deadLetterQueue: this.deadLetterQueue,
            input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'SCHEDULE' }),
          }),
          timeWindow: scheduler.TimeWindow.off(),
        });
        continue;
      }
      if (trigger.kind !== 'schedule') continue;
      const fn = createPlatformFunction(this, name, resources, config);
      // The payload has the shape of an EventBridge scheduled event, as the local runtime sends it.
      const target = new InvokeUnqualifiedFunction(fn, {
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetterQueue,
        input: scheduler.ScheduleTargetInput.fromObject({
          version: '0',
          id: scheduler.ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: stack.account,
          time: scheduler.ContextAttribute.scheduledTime,
          region: stack.region,
          resources: [scheduler.ContextAttribute.scheduleArn],
          detail: {},
        }),
      });
      this.schedules[name] = new scheduler.Schedule(this, `${pascal(name)}Schedule`, {
        scheduleGroup: this.group,
        description: def.description,
        // Cron expressions in the manifest are Beijing time; rate() ignores the zone.
        schedule: scheduler.ScheduleExpression.expression(config.scheduleExpressions[name] ?? trigger.expression, TimeZone.ASIA_SHANGHAI),
        target,
        timeWindow: scheduler.TimeWindow.off(),
      });
      this.functions[name] = fn;
    }
  }
}
