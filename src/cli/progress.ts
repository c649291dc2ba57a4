/**
 * The progress of a bench while it runs: on a terminal, one line redrawn every second
 * (time left, requests so far, current rate, errors); elsewhere (CI logs) nothing, and the
 * command prints one line per scenario when it ends.
 */
import type { Progress } from "../load/bench.js";

const BAR = 24;

export class ProgressLine {
  private label = "";
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  private get live(): boolean {
    return this.stream.isTTY === true;
  }

  start(label: string): void {
    this.label = label;
    if (this.live) this.draw(`${label}: starting`);
  }

  update(progress: Progress): void {
    if (!this.live) return;
    const share = Math.min(1, progress.elapsedSeconds / Math.max(progress.totalSeconds, 0.001));
    const filled = Math.round(share * BAR);
    const left = Math.max(0, Math.ceil(progress.totalSeconds - progress.elapsedSeconds));
    this.draw(
      `${this.label} [${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${left}s left, ` +
        `${progress.requests.toLocaleString("en-US")} requests, ${progress.rate.toLocaleString("en-US")}/s, ${progress.errors} errors`,
    );
  }

  end(): void {
    if (this.live && this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }

  private draw(text: string): void {
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.drawn = true;
  }
}
