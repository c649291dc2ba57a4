/** Parsers of option values, shared by the commands: a bad value is a usage error (exit 2). */
import { UserError } from "../exit-codes.js";

export function number(name: string, min: number, max: number, integer = true) {
  return (value: string): number => {
    const parsed = value.trim() === "" ? Number.NaN : Number(value);
    if (
      !Number.isFinite(parsed) ||
      (integer && !Number.isInteger(parsed)) ||
      parsed < min ||
      parsed > max
    ) {
      throw new UserError(
        `${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, got "${value}"`,
      );
    }
    return parsed;
  };
}

/** A comma-separated, repeatable list of names. */
export function ids(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  ];
}
