/** Where the CLI talks to the person: log lines and progress bars on stderr (results go to stdout). */
import cliProgress from 'cli-progress';

export interface Ui {
  progress: boolean;
  log(msg: string): void;
}

export function makeBar(ui: Ui, format: string): cliProgress.SingleBar | null {
  if (!ui.progress || !process.stderr.isTTY) return null;
  return new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 10, etaBuffer: 50, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
