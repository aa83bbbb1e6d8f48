/**
 * Per-unit daily query budgets (functions/core/query-budget.ts): the two alarms. The counters'
 * table, the handlers' UpdateItem-only grant and the hourly queryVolumeWatch schedule come from
 * lib/platform.ts like every other resource.
 *  - query-budget-exceeded: a unit was refused because its day's budget was spent (handlers add 1
 *    to QueryBudgetExceeded per refused request).
 *  - query-volume-anomaly: a unit's day passed max(5 × its 30-day median, 1,000); the watch emits
 *    the count of such units every run, so a missing datapoint is the missed-run alarm's business.
 * Why a scheduled job and not a metric per unit: per-unit metrics would cost a custom metric per
 * unit and CloudWatch anomaly detection models a band, not a median of days; the job reads the
 * per-unit daily counters (one item per unit-day) for the units that queried, a few hundred reads
 * an hour at reference scale.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './credit-function.ts';
import type { StageConfig } from './stage.ts';
import { QUERY_BUDGET_EXCEEDED_METRIC, QUERY_VOLUME_ANOMALY_METRIC } from '../functions/core/query-budget.ts';

export class QueryBudgetConstruct extends Construct {
  readonly budgetExceeded: cloudwatch.Alarm;
  readonly volumeAnomaly: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const alarm = (alarmId: string, name: string, alarmDescription: string, metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.config.namePrefix}-${name}`,
        alarmDescription,
        metric: new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic, period }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.budgetExceeded = alarm(
      'QueryBudgetExceededAlarm',
      'query-budget-exceeded',
      "A unit's daily query budget is spent and its queries are refused (429 QUERY_BUDGET_EXCEEDED): the functions' logs name the unit ('query budget exceeded').",
      QUERY_BUDGET_EXCEEDED_METRIC,
      cloudwatch.Stats.SUM,
      Duration.minutes(5),
    );
    this.volumeAnomaly = alarm(
      'QueryVolumeAnomalyAlarm',
      'query-volume-anomaly',
      "A unit is querying more than 5x its 30-day median day: the queryVolumeWatch log names it ('unit querying far beyond its habit').",
      QUERY_VOLUME_ANOMALY_METRIC,
      cloudwatch.Stats.MAXIMUM,
      Duration.hours(1),
    );
  }
}
