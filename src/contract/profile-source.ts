/**
 * Reads what the contract takes from the default profile (`contracts/source/PROFILE.md`):
 * the enumeration values the docs leave empty, and the text of the rules the contract
 * quotes when it marks something as a profile rule.
 */

export interface ProfileSource {
  /** field name -> the values the profile pins, with the table row quoted. */
  enums: Map<string, { values: string[]; quote: string }>;
  /**
   * Quote a rule: the bullet under `## heading` that starts with `start`; with `about`,
   * only the clause of that bullet that names it.
   */
  rule(heading: string, start: string, about?: string): string;
}

export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(`PROFILE.md: ${message}`);
    this.name = "ProfileFormatError";
  }
}

export function parseProfile(markdown: string): ProfileSource {
  const sections = splitSections(markdown);
  return {
    enums: parseEnumTable(sections.get("Enumerations") ?? []),
    rule(heading, start, about) {
      const lines = sections.get(heading);
      if (!lines) throw new ProfileFormatError(`no section "## ${heading}"`);
      const bullet = bullets(lines).find((text) => text.startsWith(start));
      if (!bullet) {
        throw new ProfileFormatError(`no bullet starting "${start}" under "## ${heading}"`);
      }
      if (!about) return `${heading}: ${bullet}`;
      const clause = bullet.split(/[;,()]/).find((part) => part.includes(about));
      if (!clause)
        throw new ProfileFormatError(`"${start}" under "## ${heading}" does not name ${about}`);
      return `${heading}: ${start} … ${clause.trim()}`;
    },
  };
}

/** `## Heading (more words)` -> lines up to the next `## `, keyed by the heading's first words. */
function splitSections(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let lines: string[] | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^## (.+?)(?: \(.*\))?$/.exec(line);
    if (heading?.[1]) {
      lines = [];
      sections.set(heading[1], lines);
    } else {
      lines?.push(line);
    }
  }
  return sections;
}

/** Bullets of a section, each with its continuation lines joined by a space. */
function bullets(lines: string[]): string[] {
  const result: string[] = [];
  for (const line of lines) {
    if (line.startsWith("- ")) result.push(line.slice(2).trim());
    else if (/^\s+\S/.test(line) && result.length > 0) {
      result[result.length - 1] = `${result[result.length - 1]} ${line.trim()}`;
    }
  }
  return result;
}

function parseEnumTable(lines: string[]): ProfileSource["enums"] {
  const enums: ProfileSource["enums"] = new Map();
  for (const line of lines) {
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells.length < 4) continue;
    const field = /^`([A-Za-z]+)`/.exec(cells[1] ?? "")?.[1];
    if (!field) continue;
    const values = [...(cells[2] ?? "").matchAll(/`([^`]+)`/g)].map((value) => value[1] as string);
    if (values.length === 0) continue;
    enums.set(field, { values, quote: `Enumerations: ${cells[1]} | ${cells[2]}` });
  }
  if (enums.size === 0)
    throw new ProfileFormatError('no enumeration table under "## Enumerations"');
  return enums;
}
