/**
 * The web console's static site: a private bucket that only CloudFront (origin access control)
 * reads, HTTPS only, client-side routes answered with index.html, the Vite build and a
 * config.json naming the HTTP API and the hosted sign-in deployed into it; sign-in through the
 * user pool's hosted UI; and the statistics and report routes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, RETIRED_USER_ATTRIBUTES, SUBJECT_REF_MAX_LENGTH, USER_ATTRIBUTES } from '../../functions/core/claims.ts';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { ENV, FUNCTIONS } from '../../lib/platform.ts';
import { logicalId, synthesized } from './synth.ts';

let dev: CreditPlatformStack;
let prod: CreditPlatformStack;
let template: Template;
let prodTemplate: Template;
let outdir: string;

// bundling every function of both stages takes minutes on a busy two-core machine
beforeAll(() => {
  const platform = synthesized();
  ({ dev, prod } = platform.stacks);
  outdir = platform.app.outdir;
  template = Template.fromStack(dev);
  prodTemplate = Template.fromStack(prod);
});

const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
/** The console's URL as the template writes it, with the trailing slash the browser lands on. */
const consoleRedirect = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(dev.console.distribution), 'DomainName'] }, '/']] });

/** A CloudFormation value as text: `${LogicalId}` for a Ref, `${LogicalId.Attribute}` for a GetAtt. */
function placeholder(value: unknown): string {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected marker value ${JSON.stringify(value)}`);
}

describe('console static site', () => {
  it('keeps the site bucket private and lets only the distribution read it, through OAC', () => {
    const bucket = logicalId(dev.console.bucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'console-site/' }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves HTTPS only, with index.html for the app and its client-side routes, and logs requests', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 60 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 60 },
        ],
        Logging: Match.objectLike({ Prefix: 'cdn/' }),
      }),
    });
  });

  it('deploys the console build and a config.json naming the API, and outputs the console URL', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(dev.console.bucket) },
      SourceMarkers: Match.arrayWith([Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() })]),
      DistributionId: { Ref: logicalId(dev.console.distribution) },
    });
    expect(Object.keys(template.findOutputs('ConsoleUrl'))).toEqual(['ConsoleUrl']);
  });
});

describe('console sign-in (Cognito hosted UI)', () => {
  const pool = () => template.findResources('AWS::Cognito::UserPool')[logicalId(dev.api.userPool)]!.Properties;
  const consoleClient = () => template.findResources('AWS::Cognito::UserPoolClient')[logicalId(dev.api.consoleSignIn.client)]!.Properties;

  it('lets only administrators create users, with a strong password policy and TOTP MFA', () => {
    expect(pool().AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool().Policies.PasswordPolicy).toMatchObject({ RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(pool().Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool()).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'], DeletionProtection: 'ACTIVE' });
    prodTemplate.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // no Lambda trigger: the platform's claims are the users' own attributes
    expect(pool().LambdaConfig).toBeUndefined();
  });

  it('keeps the claims the API reads as attributes only administrators set', () => {
    const custom = (pool().Schema as Array<{ Name: string; Mutable: boolean }>).map((a) => a.Name);
    expect(custom).toEqual(expect.arrayContaining(USER_ATTRIBUTES));
    const claims = Object.values(CLAIMS).filter((c) => c !== CLAIMS.channel);
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(claims));
      expect((client.Properties.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    }
  });

  it('puts no ID number in any token: the subject is an opaque reference, the retired subject_id attribute is read by no client', () => {
    const schema = pool().Schema as Array<{ Name: string; StringAttributeConstraints?: { MaxLength: string } }>;
    expect(schema.find((a) => a.Name === 'subject_ref')?.StringAttributeConstraints?.MaxLength).toBe(String(SUBJECT_REF_MAX_LENGTH));
    // still defined (CloudFormation cannot drop a custom attribute of a deployed pool) ...
    expect(schema.map((a) => a.Name)).toEqual(expect.arrayContaining([...RETIRED_USER_ATTRIBUTES]));
    // ... but a token holds only the attributes its client may read
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.ReadAttributes).toContain(CLAIMS.subjectRef);
      for (const retired of RETIRED_USER_ATTRIBUTES) expect(client.Properties.ReadAttributes).not.toContain(`custom:${retired}`);
    }
  });

  it('gives the console a code-flow client with no secret, returning only to the distribution', () => {
    expect(consoleClient()).toMatchObject({
      ClientName: `${dev.config.namePrefix}-console`,
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      // SRP (what managed login uses) and refresh: no plain-password, admin or custom flows
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      CallbackURLs: [consoleRedirect()],
      LogoutURLs: [consoleRedirect()],
    });
    // no client of the pool may use the implicit flow or hand out tokens to a secret-less server
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.AllowedOAuthFlows ?? []).not.toContain('implicit');
      expect(client.Properties.AllowedOAuthFlows ?? []).not.toContain('client_credentials');
    }
  });

  it('serves the hosted UI on a Cognito domain named after the stage, managed login styled for the console', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: ref(dev.api.userPool),
      Domain: { 'Fn::Join': ['', ['credit-platform-dev-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 2,
    });
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['', ['credit-platform-prod-', { Ref: 'AWS::AccountId' }]] } });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: ref(dev.api.userPool),
      ClientId: ref(dev.api.consoleSignIn.client),
      UseCognitoProvidedValues: true,
    });
  });

  it("accepts the console's tokens at the API: the pool's issuer, the console client as an audience", () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Audience: Match.arrayWith([ref(dev.api.consoleSignIn.client)]),
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', ref(dev.api.userPool)]] },
      },
    });
    // the HTTP functions know the console's client (its tokens count under channel console), the others do not
    for (const [name, def] of Object.entries(FUNCTIONS)) {
      const variables = template.toJSON().Resources[logicalId(dev.functions[name as keyof typeof FUNCTIONS]!)].Properties.Environment.Variables as Record<
        string,
        unknown
      >;
      if (def.trigger.kind === 'http') expect(variables[ENV.consoleClientId], name).toEqual(ref(dev.api.consoleSignIn.client));
      else expect(variables, name).not.toHaveProperty(ENV.consoleClientId);
    }
  });

  it('writes config.json with the API URL and the hosted sign-in settings', () => {
    const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0]!.Properties;
    const markers = (deployment.SourceMarkers as Array<Record<string, unknown>>)[1]!;
    const asset = path.join(outdir, `asset.${(deployment.SourceObjectKeys as string[])[1]!.replace(/\.zip$/, '')}`, 'config.json');
    let text = readFileSync(asset, 'utf8');
    for (const [marker, value] of Object.entries(markers)) text = text.split(marker).join(placeholder(value));
    const api = logicalId(dev.api.httpApi);
    const distribution = logicalId(dev.console.distribution);
    expect(JSON.parse(text)).toEqual({
      apiUrl: `https://\${${api}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/`,
      signIn: {
        authority: `https://cognito-idp.\${AWS::Region}.\${AWS::URLSuffix}/\${${logicalId(dev.api.userPool)}}`,
        domain: `https://\${${logicalId(dev.api.consoleSignIn.domain)}}.auth.\${AWS::Region}.amazoncognito.com`,
        clientId: `\${${logicalId(dev.api.consoleSignIn.client)}}`,
        redirectUri: `https://\${${distribution}.DomainName}/`,
      },
    });
  });
});

describe('statistics and report routes', () => {
  it.each([
    'GET /v1/stats/ingestion',
    'GET /v1/stats/quality',
    'GET /v1/stats/publicity',
    'GET /v1/stats/queries',
    'GET /v1/stats/applications',
    'GET /v1/stats/objections',
    'GET /v1/stats/exports',
    'GET /v1/reports/annual',
  ])('routes %s with a JWT authorizer', (route) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route, AuthorizationType: 'JWT' });
  });

  it('gives the counting writers UpdateItem alone on the statistics table, and the readers no write', () => {
    const writers = Object.entries(FUNCTIONS)
      .filter(([, def]) => def.tables.stats === 'count')
      .map(([name]) => name);
    expect(writers.sort()).toEqual([
      'checksApi',
      'deadLetters',
      'housekeeping',
      'jointApi',
      'jointLists',
      'objectionsApi',
      'processCheckPart',
      'processChunk',
      'recordExpiry', // the stock of queryable records goes down as records expire, in the same transaction
      'recordRightsApi',
    ]);
    // the interactive query path writes its log entry only; the rollup counts it
    expect(FUNCTIONS.subjectsApi.tables.stats).toBeUndefined();
    expect(FUNCTIONS.statsRollup.tables).toEqual({ queryLog: 'read', stats: 'readWrite' });
    // objections: the open ones past a deadline; exports: the national export's yearly counters;
    // calendar: the working days those deadlines are counted in
    expect(FUNCTIONS.statsApi.tables).toEqual({ stats: 'read', catalog: 'read', queryLog: 'read', objections: 'read', exports: 'read', calendar: 'read' });
  });
});
