/**
 * The page kit (src/report/page/): the `html` template escapes every interpolation, in
 * content and attributes alike, and trusts only its own fragments and `raw`; the page shell
 * forbids scripts unless it is given its one inline script, which then runs, alone.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, type HtmlValue, html, joinHtml, raw } from "../../src/report/page/html.js";
import { htmlPage, pageStyle, prose, scriptJson } from "../../src/report/page/page.js";
import { ROOT } from "../support/cli.js";
import { HAS_CHROMIUM, launchChromium, openFile, warnIfNoChromium } from "./chromium.js";

warnIfNoChromium("report/page");

const MARKUP = `<a href="x" title='y'>&\u0000`;
const ESCAPED = "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\uFFFD";

describe("the html template", () => {
  it("escapes every interpolation, in element content and in attribute values", () => {
    expect(
      html`<p title="${MARKUP}" class="k-${MARKUP}">${MARKUP} and ${MARKUP}</p>`.toString(),
    ).toBe(`<p title="${ESCAPED}" class="k-${ESCAPED}">${ESCAPED} and ${ESCAPED}</p>`);
    expect(escapeHtml(MARKUP)).toBe(ESCAPED);
  });

  it("shows control characters as U+FFFD, keeps tabs and line breaks", () => {
    expect(html`${"a\u0001b\u007fc\td\ne\r"}`.toString()).toBe("a\uFFFDb\uFFFDc\td\ne\r");
  });

  it("renders numbers as text, and null, undefined, false and '' as nothing", () => {
    expect(html`${0}|${12.5}|${Number.NaN}|${null}|${undefined}|${false}|${""}`.toString()).toBe(
      "0|12.5|NaN||||",
    );
  });

  it("does not escape a nested template twice", () => {
    const inner = html`<b title="${`"`}">${"<i>"}</b>`;
    const outer = html`<p>${inner}${"<i>"}</p>`;
    expect(outer.toString()).toBe('<p><b title="&quot;">&lt;i&gt;</b>&lt;i&gt;</p>');
    expect(html`<div>${outer}</div>`.toString()).toBe(`<div>${outer}</div>`);
  });

  it("joins arrays: fragments as they are, text escaped, nothing left out", () => {
    const items: HtmlValue[] = [html`<li>a</li>`, "<li>b</li>", null, false, [html`<li>c</li>`, 1]];
    expect(html`<ul>${items}</ul>`.toString()).toBe(
      "<ul><li>a</li>&lt;li&gt;b&lt;/li&gt;<li>c</li>1</ul>",
    );
  });

  it("joinHtml puts a separator between the items that render, escaping it if it is text", () => {
    expect(joinHtml([html`<i>a</i>`, "", null, "<b>", false, []], " & ").toString()).toBe(
      "<i>a</i> &amp; &lt;b&gt;",
    );
    expect(joinHtml([html`<i>a</i>`, "b"], html`<br>`).toString()).toBe("<i>a</i><br>b");
    expect(joinHtml([]).toString()).toBe("");
  });

  it("passes raw(...) as it is, and trusts nothing else that looks like markup", () => {
    expect(html`<style>${raw('a[title="x"] { color: red; }')}</style>`.toString()).toBe(
      '<style>a[title="x"] { color: red; }</style>',
    );
    // What JSON can hold is never a safe fragment, whatever its fields or its toString.
    const forged = JSON.parse('{"markup":"<b>","__html":"<b>","safe":true}');
    const lookalike = { toString: () => "<b>" };
    expect(html`${forged as HtmlValue}|${lookalike as unknown as HtmlValue}`.toString()).toBe(
      "[object Object]|&lt;b&gt;",
    );
  });

  it("shows `backquoted` spans of prose as code, escaped inside and out", () => {
    expect(prose("the `<status>` field & `a'b`; `unclosed <x>").toString()).toBe(
      "the <code>&lt;status&gt;</code> field &amp; <code>a&#39;b</code>; `unclosed &lt;x&gt;",
    );
  });
});

describe("the page shell", () => {
  it("forbids every script, inlines page.css and escapes the title", () => {
    const page = htmlPage({ title: `</title><script>x</script>`, body: html`<p>hi</p>` });
    expect(page.startsWith("<!DOCTYPE html>\n")).toBe(true);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    expect(page).not.toContain("script-src");
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain("<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>");
    const css = readFileSync(join(ROOT, "src", "report", "page", "page.css"), "utf8");
    expect(pageStyle()).toBe(css);
    expect(page).toContain(`<style>\n${css}</style>`);
    expect(page).toContain('<div class="page">\n<p>hi</p>\n</div>\n</body>\n</html>\n');
  });

  it("allows its one inline script by hash, and refuses one that could end itself", () => {
    const script = `document.body.dataset.data = ${scriptJson({ label: "</script><!--" })}.label;`;
    const page = htmlPage({ title: "chart", body: "", script });
    const hash = /script-src 'sha256-([A-Za-z0-9+/=]+)';/.exec(page)?.[1];
    expect(hash).toBeDefined();
    expect(page).toContain(`<script>${script}</script>\n</body>`);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(() => htmlPage({ title: "t", body: "", script: "'</script>'" })).toThrow(/<\/script/);
    expect(() => htmlPage({ title: "t", body: "", script: "'<!--'" })).toThrow(/<!--/);
  });

  it("writes values into a script as JSON that cannot close it", () => {
    const text = scriptJson({ a: "</script><!-- & \u2028", n: [1, null] });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ a: "</script><!-- & \u2028", n: [1, null] });
    expect(scriptJson(undefined)).toBe("null");
  });
});

describe.skipIf(!HAS_CHROMIUM)("the page shell in Chromium", () => {
  const work = mkdtempSync(join(tmpdir(), "report-page-"));
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    context = await launchChromium(work);
  });
  afterAll(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("runs the page's own script (with its data) and no other inline script", async () => {
    const script = `document.getElementById("out").textContent = ${scriptJson({ label: "</script> drawn" })}.label;`;
    const injected = raw(`<script>document.title = "injected ran";</script>`);
    const file = join(work, "chart.html");
    writeFileSync(
      file,
      htmlPage({ title: "chart", body: html`<p id="out">not drawn</p>${injected}`, script }),
    );
    const { page, problems } = await openFile(context as BrowserContext, file);
    expect(await page.locator("#out").innerText()).toBe("</script> drawn");
    expect(await page.title()).toBe("chart");
    // The refused script is reported as a policy violation, the page's own is not.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Content Security Policy/);
    await page.close();
  });
});
