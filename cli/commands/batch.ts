/** `batch ID [--wait]`: prints a batch receipt (回执), or follows the batch until it ends. */
import type { Command } from 'commander';
import { again, connect, nonNegativeInt, positiveInt, uiOf, withConnection } from '../connection.ts';
import { getReceipt, report, waitForReceipt } from '../poll.ts';

export function batchCommand(program: Command, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('batch')
      .description('print a batch receipt (回执)')
      .argument('<batchId>', 'batch id, as printed by upload')
      .option('--wait', 'wait until the batch is COMPLETED or FAILED')
      .option('--timeout <seconds>', 'with --wait: how long to wait', positiveInt('--timeout'), 600)
      .option('--errors <n>', 'receipt errors to print', nonNegativeInt('--errors'), 10)
      .option('--json', 'print the receipt as JSON on stdout'),
  ).action(async (batchId: string, o: { wait?: boolean; timeout: number; errors: number; json?: boolean }, cmd: Command) => {
    const ui = uiOf(cmd);
    const api = await connect(cmd);
    if (o.wait) {
      const { receipt, done } = await waitForReceipt(api, batchId, o.timeout, ui);
      setExitCode(report(receipt, done, o, o.timeout, ui, again(cmd)));
    } else {
      setExitCode(report(await getReceipt(api, batchId), true, o, null, ui, again(cmd)));
    }
  });
}
