/**
 * Headless Chromium for the report tests: Debian's `chromium` (apt-get install -y chromium),
 * driven by playwright-core, never a downloaded browser. Where it is missing, the tests that
 * need it are skipped, with the reason printed once.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function warnIfNoChromium(file: string): void {
  if (!HAS_CHROMIUM) {
    console.warn(
      `${file}: ${CHROMIUM} is missing (apt-get install -y chromium): the in-browser tests are skipped`,
    );
  }
}

/**
 * A browser with a fresh profile under `dir`. `bypassCSP`: ignore the pages' own
 * Content-Security-Policy, to see what their markup alone would do.
 */
export async function launchChromium(
  dir: string,
  options: { bypassCSP?: boolean } = {},
): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(dir, "profile-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1400 },
    bypassCSP: options.bypassCSP ?? false,
  });
  context.setDefaultTimeout(5_000);
  return context;
}

export interface Opened {
  page: Page;
  /** Every URL the page asked for: only its own file. */
  requests: string[];
  /** Console errors (a Content-Security-Policy violation would be one) and dialogs. */
  problems: string[];
}

export async function openFile(context: BrowserContext, file: string): Promise<Opened> {
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("dialog", async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, requests, problems };
}
