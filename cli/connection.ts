/**
 * The options every command takes: where the API is and who calls it. The API defaults to
 * CREDIT_API, then API (the README walk-through's variable), then http://127.0.0.1:$PORT (the port
 * `npm start` listens on, 3000 unless PORT says otherwise).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ApiError, CliError } from './errors.ts';
import { ApiClient } from './http.ts';
import type { Ui } from './ui.ts';

/** The name the CLI goes by (`npx credit-platform …`; `credit` alone is an unrelated npm package). */
export const CLI_NAME = 'credit-platform';

/** The API when --api and CREDIT_API are not given: the walk-through's API, else the local platform on PORT. */
export function defaultApi(env: NodeJS.ProcessEnv = process.env): string {
  if (env.API) return env.API;
  return `http://127.0.0.1:${env.PORT || '3000'}`;
}

export interface ConnectionOptions {
  api: string;
  token?: string;
  unit?: string;
}

export async function connect(cmd: Command): Promise<ApiClient> {
  const o = cmd.opts<ConnectionOptions>();
  let base: URL;
  try {
    base = new URL(o.api);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new CliError(`--api must be an http:// or https:// URL, not '${o.api}'`);
  }
  const api = new ApiClient(base.href);
  // an explicit --token wins, then --unit (local token), then CREDIT_TOKEN from the environment
  const tokenFromFlag = o.token && cmd.getOptionValueSource('token') === 'cli';
  if (tokenFromFlag) {
    api.setToken(o.token!);
  } else if (o.unit) {
    const res = await api
      .json<{ token: string }>('POST', '/local/token', { role: 'provider', unit: o.unit }, 'getting a local provider token')
      .catch((err: unknown) => {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
          throw new CliError(`${api.base} issues no local tokens (only the local platform has POST /local/token); pass --token or set CREDIT_TOKEN`);
        }
        throw err;
      });
    api.setToken(res.token);
  } else if (o.token) {
    api.setToken(o.token);
  } else {
    throw new CliError('no token: pass --token TOKEN or set CREDIT_TOKEN (against a local platform, --unit UNIT gets one)');
  }
  return api;
}

export function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number, 0 or more`);
    return n;
  };
}

export function withConnection(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <url>', 'platform API base URL').env('CREDIT_API').default(defaultApi(), 'API, else http://127.0.0.1:$PORT (3000)'))
    .addOption(new Option('--token <token>', 'bearer token of a provider user').env('CREDIT_TOKEN'))
    .option('--unit <code>', 'local platform only: get a provider token for this unit from POST /local/token')
    .option('--no-progress', 'no progress bars on stderr');
}

export function uiOf(cmd: Command): Ui {
  const o = cmd.opts<{ progress?: boolean }>();
  return { progress: o.progress !== false, log: (msg) => process.stderr.write(`${msg}\n`) };
}

/**
 * A follow-up command line that works as printed: the same program and the connection flags this
 * run was given on the command line (a --token is not repeated; it stays in the shell's history only once).
 */
export function again(cmd: Command): (args: string) => string {
  const o = cmd.opts<ConnectionOptions>();
  const flags: string[] = [];
  if (cmd.getOptionValueSource('api') === 'cli') flags.push(`--api ${o.api}`);
  if (o.unit) flags.push(`--unit ${o.unit}`);
  else if (cmd.getOptionValueSource('token') === 'cli') flags.push('--token "$CREDIT_TOKEN"');
  return (args) => [`npx ${CLI_NAME}`, args, ...flags].join(' ');
}
