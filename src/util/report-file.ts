/**
 * Reading a report a run wrote (results.json, bench.json) back: the folder or file checked,
 * the JSON parsed, its format named; any problem is one line (exit 2). What the reader then
 * needs of the data it checks itself.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "./exit-codes.js";

export interface ReportFileSpec {
  /** `results.json`, `bench.json`. */
  name: string;
  format: string;
  /** `tickets-harness check`: who writes such folders, for the message. */
  writer: string;
  /** Whether the file itself may be given instead of its folder. */
  fileAllowed: boolean;
}

/** The file's path and its parsed JSON, whose `format` is `spec.format`. */
export function readReportFile(
  where: string,
  spec: ReportFileSpec,
): { file: string; data: unknown } {
  if (!existsSync(where)) {
    throw new UserError(`no such ${spec.fileAllowed ? "folder or file" : "run folder"}: ${where}`);
  }
  const folder = statSync(where).isDirectory();
  if (!folder && !spec.fileAllowed) {
    throw new UserError(`${where} is not a folder: give run folders (each with a ${spec.name})`);
  }
  const file = folder ? join(where, spec.name) : where;
  if (!existsSync(file)) {
    throw new UserError(`${where} has no ${spec.name}: not a run folder of \`${spec.writer}\``);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file} is not JSON: ${oneLine((error as Error).message)}`);
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== spec.format) {
    throw new UserError(
      `${file} is not a tickets-harness ${spec.name.replace(".json", "")} file: format ${oneLine(JSON.stringify(format) ?? "missing")}, expected "${spec.format}"`,
    );
  }
  return { file, data };
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}
