import cliProgress from 'cli-progress';
import type { DownloadProgress } from '../shared/adapters/model/model-download.js';

// On stderr, so that stdout stays the table or JSON a script may parse. cli-progress draws nothing
// when stderr is not a terminal (a pipe, CI, the tests).
const common = { stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 30 };

/**
 * Writes a line above a running bar: on a terminal the bar's line is cleared first and the bar drawn
 * again below; elsewhere the bar draws nothing and the line is just written.
 */
function logAbove(bar: cliProgress.SingleBar, line: string) {
  if (!process.stderr.isTTY) {
    process.stderr.write(`${line}\n`);
    return;
  }
  process.stderr.write(`\r\x1b[2K${line}\n`);
  bar.render();
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** A bar over a number of items, e.g. images. */
export function itemsBar(total: number, label: string) {
  const bar = new cliProgress.SingleBar(
    { ...common, format: `${label} {bar} {value}/{total} {item}` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { item: '' });
  return {
    tick: (item: string) => bar.increment(1, { item }),
    log: (line: string) => logAbove(bar, line),
    stop: () => bar.stop(),
  };
}

/** A bar over the weight bytes of a model download; starts on the first progress report. */
export function downloadBar(label: string) {
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(progress: DownloadProgress) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { ...common, format: `${label} {bar} {percentage}% {done}/{all} MB` },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.bytesTotal, 0, { done: '0.0', all: mb(progress.bytesTotal) });
      }
      bar.update(progress.bytesDone, { done: mb(progress.bytesDone), all: mb(progress.bytesTotal) });
    },
    stop: () => bar?.stop(),
  };
}

/** A bar over items with the estimated time left (cli-progress's {eta_formatted}). */
export function etaBar(total: number, label: string) {
  const bar = new cliProgress.SingleBar(
    { ...common, format: `${label} {bar} {value}/{total} ETA {eta_formatted} {note}`, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  return {
    update: (done: number, note: string) => bar.update(done, { note }),
    log: (line: string) => logAbove(bar, line),
    stop: () => bar.stop(),
  };
}
