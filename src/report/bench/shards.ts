/** What a report says of a sharded run: a shard's part in it, or a merge's parts. */
import type { BenchReport } from "../../load/results.js";

/** Below this, shards that should have run together are said not to have. */
const TOGETHER = 0.9;

/** Plain sentences (the caller escapes them), none for a run that is neither. */
export function shardSentences(report: BenchReport): string[] {
  if (report.shard) {
    const { index, count } = report.shard;
    return [
      `Shard ${index} of ${count} of a sharded run: its figures are its share of the load; \`tickets-harness report merge\` adds the ${count} shards up.`,
    ];
  }
  if (!report.mergedFrom) return [];
  const sentences = [
    `The run merged from ${report.mergedFrom.length} shards (${report.mergedFrom.map((part) => part.runId).join(", ")}): histograms added, counts summed, seconds added on the wall clock, thresholds evaluated on the merged figures.`,
  ];
  const apart = report.scenarios.filter(
    (scenario) => scenario.merge && scenario.merge.overlap < TOGETHER,
  );
  for (const scenario of apart) {
    sentences.push(
      `${scenario.name}: the shards' measured times overlapped ${Math.round((scenario.merge?.overlap ?? 0) * 100)}%, so they did not all run together; its req/s is over the union of their times (start the shards together with --start-at).`,
    );
  }
  return sentences;
}
