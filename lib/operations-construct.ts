/**
 * What an operator watches beyond the per-context alarms: every function's errors and throttles,
 * the HTTP API's 5xx rate and latency, an export run that ended FAILED, a scheduled job that did
 * not run, and the stage's dashboard of the platform's own metrics (namespace CreditPlatform,
 * dimension service, as functions/adapters/powertools.ts emits them). Every alarm gets the
 * stage's alarm topic as its actions from lib/alarm-topic.ts; docs/operations.md says what to do
 * about each.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { EXPORT_METRICS } from '../functions/core/export-plan.ts';
import { OVERDUE_OBJECTIONS_METRIC, OPEN_OBJECTIONS_METRIC } from '../functions/core/objections.ts';
import { RATE_LIMITED_METRIC } from '../functions/core/rate-limit.ts';
import { type CreditFunction, METRICS_NAMESPACE, SERVICE_NAME } from './credit-function.ts';
import { entriesOf } from './manifest.ts';
import { FUNCTIONS, type FunctionName } from './platform.ts';
import type { StageConfig } from './stage.ts';

/** Share of API requests answered 5xx (percent, per 5 minutes) that raises the alarm. */
export const API_5XX_PERCENT = 5;
/** Fewer requests than this in 5 minutes are too few for a rate. */
export const API_5XX_MIN_REQUESTS = 20;
/** p95 latency of the API (milliseconds) that raises the alarm when it holds for 15 minutes. */
export const API_P95_LATENCY_MS = 3000;

/** The metrics the handlers emit, by name (functions/**: metrics.addMetric). */
export const PLATFORM_METRICS = {
  batchesRegistered: 'BatchesRegistered',
  batchesFailed: 'BatchesFailed',
  rowsAccepted: 'RowsAccepted',
  rowsRejected: 'RowsRejected',
  rowsLinked: 'RowsLinked',
  rowsUnlinked: 'RowsUnlinked',
  recordsLinkedLate: 'RecordsLinkedLate',
  recordsWaitingForSubject: 'RecordsWaitingForSubject',
  checksCompleted: 'ChecksCompleted',
  checkedSubjects: 'CheckedSubjects',
  deadLetters: 'DeadLetters',
  overdueObjections: OVERDUE_OBJECTIONS_METRIC,
  openObjections: OPEN_OBJECTIONS_METRIC,
  ...EXPORT_METRICS,
  anonymousRateLimited: RATE_LIMITED_METRIC,
} as const;

export function platformMetric(metricName: string, statistic: string = cloudwatch.Stats.SUM, period = Duration.hours(1), label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic, period, label });
}

/**
 * How often a schedule runs, when a CloudWatch alarm can watch for a missed run: rate(...)
 * expressions, and cron expressions that run every day or every hour (an alarm looks back one
 * day at most).
 */
export function scheduleInterval(expression: string): Duration | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    return unit.startsWith('minute') ? Duration.minutes(n) : unit.startsWith('hour') ? Duration.hours(n) : Duration.days(n);
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) return undefined;
  const [, minute, hour, dayOfMonth, month, dayOfWeek, year] = cron;
  const everyDay = (dayOfMonth === '*' || dayOfMonth === '?') && month === '*' && (dayOfWeek === '?' || dayOfWeek === '*') && year === '*';
  if (!everyDay || !/^\d+$/.test(minute!)) return undefined;
  if (/^\d+$/.test(hour!)) return Duration.days(1);
  return hour === '*' ? Duration.hours(1) : undefined;
}

export interface OperationsConstructProps {
  config: StageConfig;
  functions: Partial<Record<FunctionName, CreditFunction>>;
  httpApi: apigwv2.HttpApi;
}

export class OperationsConstruct extends Construct {
  readonly functionErrors: Partial<Record<FunctionName, cloudwatch.Alarm>> = {};
  readonly functionThrottles: Partial<Record<FunctionName, cloudwatch.Alarm>> = {};
  readonly missedRuns: Partial<Record<FunctionName, cloudwatch.Alarm>> = {};
  readonly api5xxRate: cloudwatch.Alarm;
  readonly apiLatency: cloudwatch.Alarm;
  readonly exportRunFailed: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsConstructProps) {
    super(scope, id);
    const { config } = props;
    const prefix = config.namePrefix;
    const fiveMinutes = Duration.minutes(5);

    for (const [name, fn] of entriesOf(props.functions)) {
      if (!fn) continue;
      const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      this.functionErrors[name] = new cloudwatch.Alarm(this, `${name}Errors`, {
        alarmName: `${prefix}-${kebab}-errors`,
        alarmDescription: `Function ${name} failed (an exception, a timeout or running out of memory): its log group has the error; queue messages are retried and end in the DLQ.`,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.functionThrottles[name] = new cloudwatch.Alarm(this, `${name}Throttles`, {
        alarmName: `${prefix}-${kebab}-throttles`,
        alarmDescription: `Invocations of ${name} were throttled: the account's Lambda concurrency (or the function's reserved concurrency) is exhausted.`,
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

      const trigger = FUNCTIONS[name].trigger;
      const expression =
        trigger.kind === 'schedule'
          ? (config.scheduleExpressions[name] ?? trigger.expression)
          : trigger.kind === 'queue' && trigger.schedule
            ? (config.scheduleExpressions[name] ?? trigger.schedule.expression)
            : undefined;
      if (!expression) continue;
      const interval = scheduleInterval(expression);
      if (!interval) {
        Annotations.of(this).addWarningV2(
          `credit-platform:missed-run-${name}`,
          `No missed-run alarm for ${name}: ${expression} runs less often than daily, longer than a CloudWatch alarm looks back.`,
        );
        continue;
      }
      // three runs missed in a row where three intervals fit in the day an alarm can look back
      // (a single late datapoint must not page anyone), else the one run of the day
      const periods = Math.max(1, Math.min(3, Math.floor(Duration.days(1).toSeconds() / interval.toSeconds())));
      this.missedRuns[name] = new cloudwatch.Alarm(this, `${name}MissedRun`, {
        alarmName: `${prefix}-${kebab}-missed-run`,
        alarmDescription: `Scheduled job ${name} (${expression}, Beijing time) did not run in ${periods} interval(s) of ${interval.toHumanString()} in a row: check the schedule, its DLQ and the function's errors.`,
        metric: fn.metricInvocations({ period: interval, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: periods,
        // a function that is not invoked publishes no datapoint at all
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    const requests = props.httpApi.metricCount({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM });
    const serverErrors = props.httpApi.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM });
    this.api5xxRate = new cloudwatch.Alarm(this, 'Api5xxRate', {
      alarmName: `${prefix}-api-5xx-rate`,
      alarmDescription: `More than ${API_5XX_PERCENT}% of the HTTP API's requests were answered 5xx in 10 of the last 15 minutes: the access logs name the routes; the function error alarms name the failing function.`,
      metric: new cloudwatch.MathExpression({
        expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
        usingMetrics: { requests, errors: serverErrors },
        period: fiveMinutes,
        label: '5xx %',
      }),
      threshold: API_5XX_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.apiLatency = new cloudwatch.Alarm(this, 'ApiLatency', {
      alarmName: `${prefix}-api-latency`,
      alarmDescription: `The HTTP API's p95 latency stayed above ${API_P95_LATENCY_MS} ms for 15 minutes: look for throttled tables (capacity alarms) and slow functions (X-Ray).`,
      metric: props.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p95' }),
      threshold: API_P95_LATENCY_MS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.exportRunFailed = new cloudwatch.Alarm(this, 'ExportRunFailed', {
      alarmName: `${prefix}-export-run-failed`,
      alarmDescription:
        'A national export run ended FAILED (endpoint not configured, records without an answer, or the lease lost): GET /v1/exports/runs gives the reason; the next run resumes from the watermarks.',
      metric: platformMetric(EXPORT_METRICS.runsFailed, cloudwatch.Stats.SUM, Duration.hours(1)),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
      defaultInterval: Duration.days(7),
    });
    const m = (name: string, label: string, statistic: string = cloudwatch.Stats.SUM) => platformMetric(name, statistic, Duration.hours(1), label);
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const linkRate = new cloudwatch.MathExpression({
      expression: 'IF(linked + unlinked > 0, 100 * linked / (linked + unlinked), 0)',
      usingMetrics: { linked: m(PLATFORM_METRICS.rowsLinked, '关联'), unlinked: m(PLATFORM_METRICS.rowsUnlinked, '未关联') },
      period: Duration.hours(1),
      label: '关联率 link rate %',
    });
    const queryFunction = props.functions.subjectsApi;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${prefix}\nIngestion, linking, queries, checks, national export and objections as the platform counts them (namespace ${METRICS_NAMESPACE}). Alarms: docs/operations.md.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Batches 批次', [
        m(PLATFORM_METRICS.batchesRegistered, 'registered 登记'),
        m(PLATFORM_METRICS.batchesFailed, 'failed 失败'),
        m(PLATFORM_METRICS.deadLetters, 'dead letters 死信'),
      ]),
      graph('Rows 行', [m(PLATFORM_METRICS.rowsAccepted, 'accepted 接受'), m(PLATFORM_METRICS.rowsRejected, 'rejected 拒绝')]),
      new cloudwatch.GraphWidget({
        title: 'Link rate 主体关联',
        left: [linkRate],
        right: [
          m(PLATFORM_METRICS.recordsLinkedLate, 'linked late 补关联'),
          m(PLATFORM_METRICS.recordsWaitingForSubject, 'waiting 待关联', cloudwatch.Stats.MAXIMUM),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      ...(queryFunction
        ? [
            new cloudwatch.LogQueryWidget({
              title: 'Credit queries by role 按角色查询',
              logGroupNames: [queryFunction.functionLogGroup.logGroupName],
              view: cloudwatch.LogQueryVisualizationType.BAR,
              queryLines: ['filter message = "credit query" or message = "credit query refused"', 'stats count(*) as queries by role'],
              width: 8,
              height: 6,
            }),
          ]
        : []),
      graph('Checks 核查', [m(PLATFORM_METRICS.checksCompleted, 'checks 核查'), m(PLATFORM_METRICS.checkedSubjects, 'subjects 主体')]),
      graph('API', [
        requests,
        props.httpApi.metricClientError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        serverErrors,
        platformMetric(PLATFORM_METRICS.anonymousRateLimited, cloudwatch.Stats.SUM, fiveMinutes, 'anonymous rate limited 匿名限流 (429)'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('National export sent 报送', [
        m(EXPORT_METRICS.sent, 'sent 报送'),
        m(EXPORT_METRICS.rejected, 'rejected 退回'),
        m(EXPORT_METRICS.heldInRun, 'held in run 暂缓'),
        m(EXPORT_METRICS.runsFailed, 'runs failed 失败'),
      ]),
      graph('National export held and overdue 暂缓/逾期', [
        m(EXPORT_METRICS.held, 'held 暂缓', cloudwatch.Stats.MAXIMUM),
        m(EXPORT_METRICS.overdue, 'overdue 逾期', cloudwatch.Stats.MAXIMUM),
      ]),
      graph('Objections 异议', [
        m(PLATFORM_METRICS.openObjections, 'open 办理中', cloudwatch.Stats.MAXIMUM),
        m(PLATFORM_METRICS.overdueObjections, 'late 逾期', cloudwatch.Stats.MAXIMUM),
      ]),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [this.api5xxRate, this.apiLatency, this.exportRunFailed, ...Object.values(this.missedRuns), ...Object.values(this.functionErrors)],
        width: 24,
        height: 6,
      }),
    );
  }
}
