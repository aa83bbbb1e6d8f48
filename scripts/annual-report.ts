/**
 * npm run report -- --year 2026 --out report.html [--format json] [--api URL] [--token TOKEN]
 *
 * Writes the annual operations report exactly as GET /v1/reports/annual serves it. --api (env
 * CREDIT_API, default http://127.0.0.1:3000) names the platform; --token (env CREDIT_TOKEN) an
 * admin token; without one, an admin token is fetched from the local platform's POST /local/token.
 */
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';

const year = (v: string) => {
  if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('a four-digit year');
  return v;
};

async function adminToken(api: string): Promise<string> {
  const res = await fetch(`${api}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'admin' }) });
  if (!res.ok) throw new Error(`no --token given and ${api}/local/token answered ${res.status}: is this the local platform (npm start)?`);
  return ((await res.json()) as { token: string }).token;
}

async function main(argv: string[]) {
  const o = new Command('report')
    .requiredOption('--year <YYYY>', 'the report year', year)
    .requiredOption('--out <file>', 'where to write the report')
    .option('--format <format>', 'html or json', 'html')
    .option('--api <url>', 'platform base URL', process.env.CREDIT_API ?? 'http://127.0.0.1:3000')
    .option('--token <token>', 'admin bearer token', process.env.CREDIT_TOKEN)
    .parse(argv)
    .opts<{ year: string; out: string; format: string; api: string; token?: string }>();
  const api = o.api.replace(/\/$/, '');
  const token = o.token ?? (await adminToken(api));
  const res = await fetch(`${api}/v1/reports/annual?year=${o.year}&format=${encodeURIComponent(o.format)}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET /v1/reports/annual answered ${res.status}: ${body.slice(0, 500)}`);
  await writeFile(o.out, body);
  console.error(`wrote the ${o.year} annual report to ${o.out} (${body.length.toLocaleString('en-US')} characters)`);
}

main(process.argv).catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 2;
});
