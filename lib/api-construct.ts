/**
 * The HTTP API: Cognito user pool, its app clients (API callers; the web console through the
 * hosted UI, lib/console-sign-in.ts), an HTTP API whose routes come only from the `http` triggers
 * in lib/platform.ts, a JWT authorizer accepting both clients' tokens on every route outside
 * /v1/public/, access logging and throttling on the default stage.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CLAIMS, RETIRED_USER_ATTRIBUTES, SUBJECT_REF_MAX_LENGTH, USER_ATTRIBUTES } from '../functions/core/claims.ts';
import { addConsoleSignIn, type ConsoleSignIn } from './console-sign-in.ts';
import type { CreditFunction } from './credit-function.ts';
import { acknowledge } from './nag.ts';
import { ENV, FUNCTIONS, isPublicRoute, type FunctionName } from './platform.ts';
import { entriesOf, pascal } from './manifest.ts';
import type { StageConfig } from './stage.ts';
import { createPlatformFunction, type PlatformResources } from './wiring.ts';

/** Routes under this prefix exist only in the local runtime and must never reach AWS. */
export const LOCAL_ROUTE_PREFIX = '/local/';

export interface ParsedRoute {
  method: apigwv2.HttpMethod;
  path: string;
}

/** `GET /v1/catalog` → method + path; refuses local-only routes and unknown methods. */
export function parseRoute(route: string): ParsedRoute {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  const method = match?.[1];
  const path = match?.[2];
  if (!method || !path || !(method in apigwv2.HttpMethod)) {
    throw new Error(`lib/platform.ts: route ${JSON.stringify(route)} is not "METHOD /path".`);
  }
  if (path === LOCAL_ROUTE_PREFIX.slice(0, -1) || path.startsWith(LOCAL_ROUTE_PREFIX)) {
    throw new Error(`lib/platform.ts: route ${JSON.stringify(route)} is local-only and cannot be deployed.`);
  }
  return { method: apigwv2.HttpMethod[method as keyof typeof apigwv2.HttpMethod], path };
}

/**
 * Route-level throttling of the token-less public routes on the default stage, tighter than the
 * stage default: anyone can call them, so one caller must not use up the account's capacity.
 */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 20, burstLimit: 50 } as const;

export interface ApiConstructProps {
  config: StageConfig;
  resources: PlatformResources;
  /** The web console's URL (https://{distribution domain}), where the hosted UI sends users back. */
  consoleUrl: string;
}

export class ApiConstruct extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** The hosted UI and the console's app client. */
  readonly consoleSignIn: ConsoleSignIn;
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: Partial<Record<FunctionName, CreditFunction>> = {};

  constructor(scope: Construct, id: string, props: ApiConstructProps) {
    super(scope, id);
    const { config, resources } = props;
    const stack = Stack.of(this);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${config.namePrefix}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: config.mfaRequired ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: config.cognitoThreatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(config.cognitoThreatProtection ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      // the claims the handlers read (functions/core/claims.ts): set by administrators, never
      // writable by users through an app client. The retired ones stay in the schema (a deployed
      // pool cannot drop an attribute) but no client reads them, so no token carries them.
      customAttributes: Object.fromEntries(
        [...USER_ATTRIBUTES, ...RETIRED_USER_ATTRIBUTES].map((name) => [
          name,
          new cognito.StringAttribute({ mutable: true, maxLen: `custom:${name}` === CLAIMS.subjectRef ? SUBJECT_REF_MAX_LENGTH : 256 }),
        ]),
      ),
      deletionProtection: config.deletionProtection,
      removalPolicy: config.dataRemovalPolicy,
    });
    if (!config.mfaRequired) {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG2',
        `Stage ${config.stage} is a throwaway stage with test users; MFA is optional here and required (TOTP) in prod.`,
      );
    }
    if (!config.cognitoThreatProtection) {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG8',
        `Stage ${config.stage} uses the Essentials plan to avoid per-user Plus charges for test users; prod uses the Plus plan with full-function threat protection.`,
      );
    }

    const claims = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...USER_ATTRIBUTES);
    this.userPoolClient = this.userPool.addClient('WebClient', {
      userPoolClientName: `${config.namePrefix}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: claims,
      // Users may edit their name only: role, unit and subject come from administrators.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    const issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    this.consoleSignIn = addConsoleSignIn(this, { config, userPool: this.userPool, issuer, consoleUrl: props.consoleUrl, readAttributes: claims });
    const consoleClientId = this.consoleSignIn.client.userPoolClientId;
    // one issuer, one verification: the ID tokens of either app client (aud = client id)
    const authorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      authorizerName: 'cognito-jwt',
      jwtAudience: [this.userPoolClient.userPoolClientId, consoleClientId],
      identitySource: ['$request.header.Authorization'],
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${config.namePrefix}-api`,
      description: 'Public credit information platform API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: config.corsAllowedOrigins,
        allowMethods: [apigwv2.CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.dataRemovalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const publicRoutes: apigwv2.HttpRoute[] = [];
    for (const [name, def] of entriesOf(FUNCTIONS)) {
      const trigger = def.trigger;
      if (trigger.kind !== 'http') continue;
      const fn = createPlatformFunction(this, name, resources, config);
      // the console's tokens count under channel `console` (functions/core/claims.ts channelOf)
      fn.addEnvironment(ENV.consoleClientId, consoleClientId);
      // one invoke permission per function (scoped to this API), not one per route: a Lambda::Permission
      // per route took the stack past CloudFormation's 500 resources; the routes a function serves
      // are still only those its manifest entry names
      const integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn, { scopePermissionToRoute: false });
      for (const route of trigger.routes) {
        const { method, path } = parseRoute(route);
        const isPublic = isPublicRoute(route);
        const routes = this.httpApi.addRoutes({
          path,
          methods: [method],
          integration,
          authorizer: isPublic ? new apigwv2.HttpNoneAuthorizer() : authorizer,
        });
        if (isPublic) {
          const reason = `${route} is public (lib/platform.ts isPublicRoute): information anyone may read without a token.`;
          for (const publicRoute of routes) acknowledge(publicRoute, 'AwsSolutions-APIG4', reason);
          publicRouteSettings[`${method} ${path}`] = {
            ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
            ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
          };
          publicRoutes.push(...routes);
        }
      }
      this.functions[name] = fn;
    }

    // Route settings name routes by key, and the stage refuses a key whose route does not exist
    // yet: the stage is created after the public routes.
    if (publicRoutes.length > 0) {
      const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
      cfnStage.routeSettings = publicRouteSettings;
      for (const route of publicRoutes) cfnStage.node.addDependency(route);
    }
  }
}
