/**
 * Subject rights (objections, repair, revocation, expiry, own reports): the alarm on objection
 * steps past their working-day deadline (SH-REG-2017 Art 36). The functions, routes, tables and
 * schedules come from lib/platform.ts like every other; the objectionDeadlines schedule emits the
 * metric every run, so a missing datapoint means the schedule failed — which the schedule DLQ
 * alarm reports — and is not treated as overdue.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './credit-function.ts';
import type { StageConfig } from './stage.ts';
import { OVERDUE_OBJECTIONS_METRIC } from '../functions/core/objections.ts';
import { MISSING_CALENDAR_METRIC } from '../functions/core/work-calendar.ts';
import { OVERDUE_FEEDBACK_METRIC } from '../functions/core/credit-lists.ts';

export interface RightsConstructProps {
  config: StageConfig;
}

export class RightsConstruct extends Construct {
  readonly overdueObjections: cloudwatch.Alarm;
  readonly nextYearCalendarMissing: cloudwatch.Alarm;
  readonly overdueJointFeedback: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RightsConstructProps) {
    super(scope, id);
    /** An alarm raised while the platform's own metric is above 0 (its highest value in the period). */
    const above0 = (alarmId: string, name: string, alarmDescription: string, metricName: string, period: Duration) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.config.namePrefix}-${name}`,
        alarmDescription,
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: SERVICE_NAME },
          statistic: cloudwatch.Stats.MAXIMUM,
          period,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.overdueObjections = above0(
      'OverdueObjectionsAlarm',
      'overdue-objections',
      'An objection step (remit within 2 working days, decision within 5) is past its deadline: GET /v1/objections?overdue=true lists them.',
      OVERDUE_OBJECTIONS_METRIC,
      Duration.minutes(15),
    );
    // calendarCheck runs daily at 09:00 Beijing time and emits 1 from 1 November while next year
    // has no official arrangement (a job that did not run is the missed-schedule alarms' business)
    this.nextYearCalendarMissing = above0(
      'NextYearCalendarMissingAlarm',
      'next-year-calendar-missing',
      "Next year's working-day arrangement (State Council notice) is not published: deadlines reaching into it are provisional. Publish it with PUT /v1/calendar/{year}.",
      MISSING_CALENDAR_METRIC,
      Duration.days(1),
    );
    this.overdueJointFeedback = above0(
      'OverdueJointFeedbackAlarm',
      'overdue-joint-feedback',
      'A unit has not said whether it applied a joint reward or punishment measure (反馈) by its working-day deadline: GET /v1/joint/feedback?overdue=true lists them.',
      OVERDUE_FEEDBACK_METRIC,
      Duration.minutes(15),
    );
  }
}
