/**
 * National export (双公示 push): the alarms an operator acts on. The function, its queue (with DLQ
 * and depth alarm), the daily schedule, the exports table and the signing secret come from
 * lib/platform.ts through the other constructs like everything else; the run emits these metrics
 * at the end of every run (docs/adr/0003-national-export.md).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './credit-function.ts';
import type { StageConfig } from './stage.ts';
import { EXPORT_METRICS } from '../functions/core/export-plan.ts';

export interface ExportConstructProps {
  config: StageConfig;
}

export class ExportConstruct extends Construct {
  readonly rejections: cloudwatch.Alarm;
  readonly overdue: cloudwatch.Alarm;
  readonly held: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ExportConstructProps) {
    super(scope, id);
    const prefix = props.config.namePrefix;
    const alarm = (alarmId: string, name: string, description: string, metricName: string, statistic: string) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: description,
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: SERVICE_NAME },
          statistic,
          period: Duration.hours(1),
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.rejections = alarm(
      'ExportRejectionsAlarm',
      'export-rejections',
      'The national platform rejected records; GET /v1/exports/overdue lists them with the error text. They are sent again once corrected.',
      EXPORT_METRICS.rejected,
      cloudwatch.Stats.SUM,
    );
    this.overdue = alarm(
      'ExportOverdueAlarm',
      'export-overdue',
      'Double-publicity records past the 7-working-day publication deadline are not yet accepted nationally: GET /v1/exports/overdue.',
      EXPORT_METRICS.overdue,
      cloudwatch.Stats.MAXIMUM,
    );
    this.held = alarm(
      'ExportHeldAlarm',
      'export-held',
      'Records cannot be mapped to the national format and are held back: GET /v1/exports/held gives each reason.',
      EXPORT_METRICS.held,
      cloudwatch.Stats.MAXIMUM,
    );
  }
}
