/**
 * `credit-platform verify-log [--day YYYY-MM-DD] [--json]`: recomputes one China day's query-log hash chain
 * through GET /v1/query-log/verify (an admin token: --token, CREDIT_TOKEN, or --local-admin against
 * the local platform) and names the first broken link or entry. Exit 0 the chain is intact,
 * 1 it is broken, 2 usage or HTTP error. Registered in bin/credit.ts COMMANDS.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { connect, withConnection } from '../connection.ts';

export interface ChainVerdict {
  day: string;
  ok: boolean;
  links: number;
  entries: number;
  firstBroken: { seq: number; entry?: { pk: string; sk: string; queryId?: string }; reason: string } | null;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) {
    throw new InvalidArgumentError('--day must be a calendar date, YYYY-MM-DD');
  }
  return value;
}

/** The verdict in words, one line per fact (stdout). */
export function describeVerdict(v: ChainVerdict): string {
  if (v.ok) return `query log ${v.day}: intact — ${v.links} links, ${v.entries} entries recomputed\n`;
  const b = v.firstBroken!;
  const where = b.seq > 0 ? `link ${b.seq}` : 'outside the chain';
  const entry = b.entry ? `\nentry: ${b.entry.queryId ?? '(no query id)'} (pk ${b.entry.pk}, sk ${b.entry.sk})` : '';
  return `query log ${v.day}: BROKEN at ${where} — ${b.reason}${entry}\n(${v.links} links, ${v.entries} entries verified before the break)\n`;
}

export function verifyLogCommand(program: Command, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('verify-log')
      .description("recompute a day's query-log hash chain (admins) and name the first broken entry; exit 1 when broken")
      .option('--day <YYYY-MM-DD>', 'the China day to check (default: today in China)', day)
      .option('--local-admin', 'local platform only: get an admin token from POST /local/token')
      .option('--json', 'print the verdict as JSON'),
  ).action(async (o: { day?: string; localAdmin?: boolean; json?: boolean }, cmd: Command) => {
    if (o.localAdmin) {
      const local = await connect(withPlaceholderToken(cmd));
      const { token } = await local.json<{ token: string }>('POST', '/local/token', { role: 'admin' }, 'getting a local admin token');
      cmd.setOptionValueWithSource('token', token, 'cli');
    }
    const api = await connect(cmd);
    const verdict = await api.json<ChainVerdict>('GET', `/v1/query-log/verify${o.day ? `?day=${o.day}` : ''}`, undefined, 'verifying the query log');
    process.stdout.write(o.json ? `${JSON.stringify(verdict, null, 2)}\n` : describeVerdict(verdict));
    setExitCode(verdict.ok ? 0 : 1);
  });
}

/** connect() insists on a token; POST /local/token needs none, so any placeholder does. */
function withPlaceholderToken(cmd: Command): Command {
  if (!cmd.opts<{ token?: string }>().token) cmd.setOptionValueWithSource('token', 'none', 'cli');
  return cmd;
}
