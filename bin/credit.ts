/**
 * `credit-platform`: the provider command line (信息提供单位客户端), a small program over cli/.
 *
 *   credit-platform upload FILE --item CODE [--no-wait] [--timeout SECONDS] [--json]
 *   credit-platform batch ID [--wait] [--json]
 *   credit-platform rejections ID [--out FILE]
 *   credit-platform verify-log [--day YYYY-MM-DD] [--json]   (admins: the query log's hash chain)
 *
 * Every command takes --api URL (env CREDIT_API, else API, else http://127.0.0.1:$PORT, PORT
 * defaulting to 3000) and --token TOKEN (env CREDIT_TOKEN); against the local platform, --unit UNIT
 * fetches a provider token from POST /local/token instead.
 *
 * Uploads stream the file: a file up to 8 MiB goes in one presigned PUT, a larger one as a
 * multipart upload in 8 MiB parts, 4 at a time, each part read from disk when it is sent and
 * retried (3 attempts, exponential backoff) when it fails. Progress goes to stderr, results to
 * stdout (`--json`: the receipt exactly as the API returns it).
 *
 * Exit codes: 0 the batch COMPLETED (or was uploaded, with --no-wait); 1 the batch FAILED;
 * 2 usage, file or HTTP error (the API's error code and message are printed);
 * 3 the batch was still in progress when --timeout ran out.
 *
 * Each command is a module in cli/commands/ that registers itself on the program: a new command
 * is one module and one line in COMMANDS below.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { batchCommand } from '../cli/commands/batch.ts';
import { rejectionsCommand } from '../cli/commands/rejections.ts';
import { uploadCommand } from '../cli/commands/upload.ts';
import { verifyLogCommand } from '../cli/commands/verify-log.ts';
import { CLI_NAME, defaultApi } from '../cli/connection.ts';
import { CliError, EXIT } from '../cli/errors.ts';

export { EXIT } from '../cli/errors.ts';

type Register = (program: Command, setExitCode: (code: number) => void) => void;

/** The commands, in the order --help lists them. */
const COMMANDS: Register[] = [uploadCommand, batchCommand, rejectionsCommand, verifyLogCommand];

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command(CLI_NAME)
    .description('Provider client of the public credit information platform (公共信用信息平台): upload files, read receipts and rejections.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Environment: CREDIT_API (else API, else http://127.0.0.1:$PORT; now ${defaultApi()}), CREDIT_TOKEN.
Exit codes: 0 completed, 1 batch FAILED, 2 usage/file/HTTP error, 3 still in progress at --timeout.`,
    );
  for (const register of COMMANDS) register(program, setExitCode);
  return program;
}

/** Runs the CLI with process.argv-style arguments and exits with its code. */
export async function main(argv: string[]): Promise<never> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end with exit code 0; every other commander error is a usage error
      code = err.exitCode === 0 ? EXIT.ok : EXIT.error;
    } else if (err instanceof CliError) {
      process.stderr.write(`${CLI_NAME}: ${err.message}\n`);
      code = err.exitCode;
    } else {
      process.stderr.write(`${CLI_NAME}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      code = EXIT.error;
    }
  }
  // let stdout drain (it may be a pipe) before exiting
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

// `tsx bin/credit.ts ...` runs it directly too (bin/credit.js imports it and calls main itself)
const invokedPath = process.argv[1] ? realpathSafe(process.argv[1]) : '';
if (invokedPath && import.meta.url === pathToFileURL(invokedPath).href) await main(process.argv);

function realpathSafe(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return '';
  }
}
