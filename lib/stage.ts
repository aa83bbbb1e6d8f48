/**
 * Deployment stage: validated once at the CDK entry, then drives names, log retention, log level,
 * removal policy and the stage-dependent security settings of every construct.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_RATE_LIMIT, type RateLimit } from '../functions/core/rate-limit.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export type LogLevel = 'DEBUG' | 'INFO';

export interface StageConfig {
  stage: Stage;
  /** Prefix for the names people read: stack, API, user pool, schedule group, alarms. */
  namePrefix: string;
  logRetention: RetentionDays;
  logLevel: LogLevel;
  /** Tables, buckets, keys, the pepper secret and the user pool: RETAIN in prod, DESTROY in dev. */
  dataRemovalPolicy: RemovalPolicy;
  /** dev only: empty the buckets on stack deletion so a throwaway stage leaves nothing behind. */
  autoDeleteObjects: boolean;
  /** DynamoDB and Cognito deletion protection. */
  deletionProtection: boolean;
  /** KMS key deletion waiting period. */
  keyPendingWindow: Duration;
  /** Server access logs kept this long in the log bucket. */
  accessLogExpiration: Duration;
  /** HTTP API default-stage throttling (requests per second, burst). */
  apiThrottle: { rateLimit: number; burstLimit: number };
  /** Cognito: MFA (TOTP) required for every user. */
  mfaRequired: boolean;
  /** Cognito Plus feature plan with full-function threat protection. */
  cognitoThreatProtection: boolean;
  /** Origins allowed to call the API and to PUT presigned uploads from a browser. */
  corsAllowedOrigins: string[];
  /** The national platform's record endpoint (CDK context nationalEndpoint); unset, export runs end FAILED saying so. */
  nationalEndpoint?: string;
  /** Schedule expressions (Beijing time) replacing lib/platform.ts defaults, by function (e.g. context exportSchedule). */
  scheduleExpressions: Partial<Record<string, string>>;
  /** Who the stage's alarm topic notifies (CDK context alarmEmails, alarmSms). */
  alarmSubscriptions: AlarmSubscriptions;
  /** Per-client limit of the anonymous routes (CDK context publicRateLimit, publicRateWindowSeconds). */
  publicRateLimit: RateLimit;
}

export interface AlarmSubscriptions {
  /** E-mail addresses; each confirms its subscription from the message SNS sends. */
  emails: string[];
  /** Phone numbers in E.164 (+8613800000000) for SMS; optional. */
  sms: string[];
}

export function parseStage(value: unknown): Stage {
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) {
    return value as Stage;
  }
  throw new Error(
    `Invalid stage ${JSON.stringify(value)}: set the CDK context "stage" to one of ${STAGES.join(' | ')} ` + `(e.g. npx cdk synth -c stage=dev).`,
  );
}

/** Comma-separated origins from the `corsAllowedOrigins` context; `*` when absent. */
export function parseOrigins(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return ['*'];
  if (typeof value !== 'string') {
    throw new Error(`Invalid corsAllowedOrigins ${JSON.stringify(value)}: expected a comma-separated string of origins.`);
  }
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`Invalid origin ${JSON.stringify(origin)} in corsAllowedOrigins: expected scheme://host[:port].`);
    }
  }
  return origins.length > 0 ? origins : ['*'];
}

/** The national endpoint from the CDK context: an https URL, or absent. */
export function parseNationalEndpoint(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^https:\/\/[^\s]+$/.test(value)) {
    throw new Error(`Invalid nationalEndpoint ${JSON.stringify(value)}: expected an https:// URL.`);
  }
  return value;
}

/** A schedule expression from the CDK context: cron(...) or rate(...), or absent. */
export function parseScheduleExpression(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^(cron|rate)\(.+\)$/.test(value)) {
    throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected cron(...) or rate(...) (cron in Beijing time).`);
  }
  return value;
}

function parseList(value: unknown, name: string, pattern: RegExp, expected: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value !== 'string') throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected a comma-separated string.`);
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const item of items) {
    if (!pattern.test(item)) throw new Error(`Invalid ${JSON.stringify(item)} in ${name}: expected ${expected}.`);
  }
  return [...new Set(items)];
}

/** The alarm topic's subscribers from the CDK context: `alarmEmails=a@x.org,b@x.org`, `alarmSms=+8613800000000`. */
export function parseAlarmSubscriptions(emails: unknown, sms: unknown): AlarmSubscriptions {
  return {
    emails: parseList(emails, 'alarmEmails', /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/, 'an e-mail address'),
    sms: parseList(sms, 'alarmSms', /^\+[1-9]\d{6,14}$/, 'a phone number in E.164 form, e.g. +8613800000000'),
  };
}

export interface ExportStageOptions {
  nationalEndpoint?: string;
  /** The national export's schedule, e.g. cron(30 3 * * ? *); default daily 02:00 Beijing time. */
  exportSchedule?: string;
}

export function stageConfig(
  stage: Stage,
  corsAllowedOrigins: string[] = ['*'],
  exportOptions: ExportStageOptions = {},
  alarmSubscriptions: AlarmSubscriptions = { emails: [], sms: [] },
  publicRateLimit: RateLimit = DEFAULT_RATE_LIMIT,
): StageConfig {
  const prod = stage === 'prod';
  return {
    stage,
    namePrefix: `credit-platform-${stage}`,
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.ONE_WEEK,
    logLevel: prod ? 'INFO' : 'DEBUG',
    dataRemovalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !prod,
    deletionProtection: prod,
    keyPendingWindow: prod ? Duration.days(30) : Duration.days(7),
    accessLogExpiration: prod ? Duration.days(365) : Duration.days(30),
    apiThrottle: prod ? { rateLimit: 500, burstLimit: 1000 } : { rateLimit: 50, burstLimit: 100 },
    mfaRequired: prod,
    cognitoThreatProtection: prod,
    corsAllowedOrigins,
    nationalEndpoint: exportOptions.nationalEndpoint,
    scheduleExpressions: exportOptions.exportSchedule ? { exportRun: exportOptions.exportSchedule } : {},
    alarmSubscriptions,
    publicRateLimit,
  };
}
