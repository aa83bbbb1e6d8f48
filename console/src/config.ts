/**
 * The console's `/config.json`: written by the CDK stack next to the site (lib/console-construct.ts),
 * absent in the local runtime. With `signIn` the console signs in through the Cognito hosted UI;
 * without it, it offers the local demo accounts. Pure (no DOM): the unit tests import it.
 */

/** The Cognito hosted UI (managed login) and the console's app client. */
export interface HostedSignInConfig {
  /** The user pool's issuer, https://cognito-idp.{region}.amazonaws.com/{userPoolId}. */
  authority: string;
  /** The hosted UI's base URL, https://{prefix}.auth.{region}.amazoncognito.com. */
  domain: string;
  /** The console's app client: authorization code with PKCE, no secret. */
  clientId: string;
  /** Where the hosted UI sends the browser back after sign-in and sign-out: the console's own URL. */
  redirectUri: string;
}

export interface ConsoleConfig {
  /** Base URL of the HTTP API; empty: the console's own origin (the local runtime). */
  apiUrl: string;
  signIn?: HostedSignInConfig;
}

export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** An https URL; with `loopback`, also http on this machine (Cognito, too, accepts http callbacks to localhost only). */
function isSecureUrl(value: unknown, loopback = false): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (loopback && url.protocol === 'http:' && LOOPBACK.includes(url.hostname));
  } catch {
    return false;
  }
}

/**
 * Reads config.json's content; `undefined` (no file) is the local runtime. A `signIn` that is
 * present but incomplete is an error: signing in anyway would mean the demo accounts, which a
 * deployed console does not have.
 */
export function parseConsoleConfig(json: unknown): ConsoleConfig {
  if (json === undefined || json === null) return { apiUrl: '' };
  if (typeof json !== 'object' || Array.isArray(json)) throw new ConsoleConfigError('config.json 不是 JSON 对象');
  const { apiUrl, signIn } = json as Record<string, unknown>;
  if (apiUrl !== undefined && typeof apiUrl !== 'string') throw new ConsoleConfigError('config.json 的 apiUrl 不是字符串');
  const config: ConsoleConfig = { apiUrl: (apiUrl ?? '').replace(/\/+$/, '') };
  if (signIn === undefined) return config;
  const s = (signIn ?? {}) as Record<string, unknown>;
  const problems: string[] = ['authority', 'domain', 'redirectUri'].filter((key) => !isSecureUrl(s[key], key === 'redirectUri'));
  if (typeof s.clientId !== 'string' || s.clientId === '') problems.push('clientId');
  if (problems.length > 0) throw new ConsoleConfigError(`config.json 的登录配置（signIn）缺少或无效：${problems.join(', ')}`);
  config.signIn = {
    authority: (s.authority as string).replace(/\/+$/, ''),
    domain: (s.domain as string).replace(/\/+$/, ''),
    clientId: s.clientId as string,
    redirectUri: s.redirectUri as string,
  };
  return config;
}
