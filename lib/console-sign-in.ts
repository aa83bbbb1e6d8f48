/**
 * Sign-in to the deployed web console: the user pool's hosted UI (managed login, in Chinese) on a
 * Cognito domain named after the stage, and the console's own app client — authorization code
 * with PKCE, no secret, OAuth only, sending the browser back to the CloudFront distribution.
 * The settings the console needs go into its config.json.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { HostedSignInConfig } from '../console/src/config.ts';
import type { StageConfig } from './stage.ts';

export interface ConsoleSignInProps {
  config: StageConfig;
  userPool: cognito.UserPool;
  /** The pool's issuer (what the API's JWT authorizer checks). */
  issuer: string;
  /** The console's URL, https://{distribution domain}: the only callback and logout URL. */
  consoleUrl: string;
  /** What the ID token may carry (the platform's claims, name and email). */
  readAttributes: cognito.ClientAttributes;
}

export interface ConsoleSignIn {
  client: cognito.UserPoolClient;
  domain: cognito.UserPoolDomain;
  /** For the console's config.json. */
  settings: HostedSignInConfig;
}

export function addConsoleSignIn(scope: Construct, props: ConsoleSignInProps): ConsoleSignIn {
  const { config, userPool } = props;
  const redirectUri = `${props.consoleUrl}/`;

  const domain = userPool.addDomain('HostedUi', {
    // prefixes are unique per region across all accounts: the stage's name and the account
    cognitoDomain: { domainPrefix: `${config.namePrefix}-${Stack.of(scope).account}` },
    // managed login: localised pages (the console asks for zh-CN), and a style per app client below
    managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
  });

  const client = userPool.addClient('ConsoleClient', {
    userPoolClientName: `${config.namePrefix}-console`,
    generateSecret: false,
    // managed login offers the sign-in the client allows: password by SRP, then refresh;
    // no plain-password, admin or custom-challenge flows
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      callbackUrls: [redirectUri],
      logoutUrls: [redirectUri],
    },
    supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    // a working day; the tokens live in the tab's sessionStorage and go when it closes
    refreshTokenValidity: Duration.hours(12),
    readAttributes: props.readAttributes,
    // Users may edit their name only: role, unit and subject come from administrators.
    writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
  });

  // managed login shows a page only to app clients that have a style: Cognito's default one
  const style = new cognito.CfnManagedLoginBranding(scope, 'ConsoleLoginStyle', {
    userPoolId: userPool.userPoolId,
    clientId: client.userPoolClientId,
    useCognitoProvidedValues: true,
  });
  style.node.addDependency(domain);

  return {
    client,
    domain,
    settings: { authority: props.issuer, domain: domain.baseUrl(), clientId: client.userPoolClientId, redirectUri },
  };
}
