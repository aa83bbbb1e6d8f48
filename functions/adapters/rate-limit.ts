/**
 * The per-client limit on anonymous routes (core/rate-limit), counted in the `rateLimits` table:
 *   pk = C#{HMAC-SHA256(client key secret, source IP)}, sk = W{window seconds}#{window start},
 *   n = requests admitted in the window, expiresAt = TTL (epoch seconds, a minute after the window).
 * Each request is one conditional UpdateItem (ADD n 1 while n < limit): concurrent requests can
 * never admit more than `limit`, and a refused request writes nothing. The source IP is keyed with
 * a secret of its own (not the ID-number pepper, which these internet-facing functions must not
 * hold), so no plaintext IP rests in the table, and the hash cannot be reversed by trying the
 * 2^32 IPv4 addresses without the secret.
 */
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseRateLimit, refusal, windowKey, windowOf, type RateLimit, type Verdict } from '#core/rate-limit';
import { ENV } from '#lib/platform';
import { ddb, secrets } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';

let secret: Promise<Buffer> | undefined;

function loadSecret(): Promise<Buffer> {
  secret ??= (async () => {
    const local = process.env[ENV.localClientKey];
    if (local) return Buffer.from(local, 'utf8');
    const arn = process.env[ENV.clientKeySecretArn];
    if (!arn) throw new Error(`${ENV.clientKeySecretArn} or ${ENV.localClientKey} must be set`);
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error('the client key secret is empty');
    return Buffer.from(out.SecretString, 'utf8');
  })();
  // a failed load (a throttle) is forgotten, so the next request tries again
  secret.catch(() => {
    secret = undefined;
  });
  return secret;
}

/** The key a client is counted under: hex HMAC of its source IP. */
export async function clientKey(sourceIp: string): Promise<string> {
  return createHmac('sha256', await loadSecret())
    .update(sourceIp)
    .digest('hex');
}

/** The configured limit (environment, set by the stack from CDK context; defaults in core/rate-limit). */
export function configuredLimit(): RateLimit {
  return parseRateLimit(process.env[ENV.publicRateLimit], process.env[ENV.publicRateWindowSeconds], {
    limit: ENV.publicRateLimit,
    window: ENV.publicRateWindowSeconds,
  });
}

/** Counts one request of the client keyed `key` in the window of `nowMs`: admitted, or refused until the window ends. */
export async function countRequest(key: string, nowMs: number, rate: RateLimit): Promise<Verdict> {
  const w = windowOf(nowMs, rate.windowSeconds);
  const admitted = await conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: tableName('rateLimits'),
        Key: { pk: `C#${key}`, sk: windowKey(w) },
        UpdateExpression: 'ADD #n :one SET #exp = if_not_exists(#exp, :exp)',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'n', '#exp': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':exp': w.expiresAt, ':limit': rate.limit },
      }),
    ),
  );
  return admitted ? { admitted: true } : refusal(w);
}

/** The check every anonymous request passes before its route runs (adapters/http httpHandler). */
export async function admitClient(sourceIp: string, nowMs = Date.now()): Promise<Verdict> {
  return countRequest(await clientKey(sourceIp), nowMs, configuredLimit());
}
