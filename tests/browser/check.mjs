// Why this exists: the review is read in a browser, on a phone and on paper, and must stay usable by everyone
// (issue 13, items 5-8). This opens each review.html given on the command line in Debian's Chromium and checks:
//   1. reflow: no horizontal page scroll at 320 CSS px (WCAG 2.1 SC 1.4.10 "Reflow"),
//   2. print: the body (everything before the first annex) prints to at most MAX_BODY_PAGES A4 pages; the pages
//      each section of the contents starts on are read from the PDF's named destinations and compared with
//      body-pages.json (the counts of the last accepted layout), so that a failure names the sections that grew,
//   3. an axe-core audit (tags wcag2a, wcag2aa, wcag21a, wcag21aa) with every <details> opened: zero violations.
// It saves screenshots (1280, 390 and 320 px, and the first printed pages as PNG) in OUT_DIR to be looked at.
//
// Usage: node check.mjs OUT_DIR review.html [review.html ...]
// Environment: CHROMIUM (default /usr/bin/chromium), MAX_BODY_PAGES (default 30), UPDATE_BODY_PAGES=1 to write
// the page counts found to body-pages.json (after a layout change that was looked at and accepted).
// Exit: 0 when every check passes, 1 when one fails (each failure printed), 2 when the check itself cannot run.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The reflow width of WCAG 2.1 SC 1.4.10, in CSS px. */
const REFLOW_WIDTH = 320;
/** Issue 13 item 5: the national example's body prints to at most 30 A4 pages. */
const MAX_BODY_PAGES = Number(process.env.MAX_BODY_PAGES ?? 30);
/** What starts the annexes: the review marks its first annex with one of these (docs/report-browser.md). */
const ANNEX_SELECTOR = '[data-annex], section.annex';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The body's pages by section of the last accepted layout, per review (`vi-review`, `en-review`). */
const BODY_PAGES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'body-pages.json');
const recordedBodyPages = existsSync(BODY_PAGES_FILE) ? JSON.parse(readFileSync(BODY_PAGES_FILE, 'utf8')) : {};
const foundBodyPages = {};

function usage(message) {
  console.error(`check.mjs: ${message}\nusage: node check.mjs OUT_DIR review.html [review.html ...]`);
  process.exit(2);
}

const [outArg, ...files] = process.argv.slice(2);
if (!outArg || files.length === 0) usage('an output folder and at least one review.html are needed');
const outDir = resolve(outArg);
mkdirSync(outDir, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // Root (CI on this machine) needs --no-sandbox; nothing outside the file is fetched: all hosts resolve nowhere.
  args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND', '--font-render-hinting=none'],
  headless: true,
});

const failures = [];
try {
  console.log(`chromium ${await browser.version()}`);
  for (const file of files) {
    const name = `${basename(dirname(resolve(file)))}-${basename(file, '.html')}`;
    const url = pathToFileURL(resolve(file)).href;
    console.log(`\n== ${file}`);
    await checkReflow(url, name);
    await screenshots(url, name);
    await checkPrint(url, name);
    await checkAxe(url, name);
  }
} finally {
  await browser.close();
}

if (process.env.UPDATE_BODY_PAGES === '1') {
  writeFileSync(BODY_PAGES_FILE, `${JSON.stringify({ ...recordedBodyPages, ...foundBodyPages }, null, 2)}\n`);
  console.log(`\nwrote the body's page counts to ${BODY_PAGES_FILE}`);
}

if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed:`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`\nall checks passed; screenshots in ${outDir}`);

async function openPage(url, width, height = 900) {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  // Requests to anything but the file itself fail: the review must be self-contained.
  await page.setRequestInterception(true);
  page.on('request', (req) => (req.url() === url || req.url().startsWith('data:') ? req.continue() : req.abort()));
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** WCAG 1.4.10: at 320 CSS px nothing makes the page itself scroll sideways. */
async function checkReflow(url, name) {
  const page = await openPage(url, REFLOW_WIDTH);
  const result = await page.evaluate((limit) => {
    const width = document.scrollingElement.scrollWidth;
    // Name the widest elements that stick out, outside any box that scrolls by itself.
    const scrolls = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const sticksOut = (el) => el.getBoundingClientRect().right > limit + 0.5 && !scrolls(el);
    // The outermost elements that stick out, not every descendant of one.
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((el) => sticksOut(el))
      .filter((el) => el.parentElement === document.body || !sticksOut(el.parentElement))
      .map((el) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        return `${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
      });
    return { width, culprits: [...new Set(culprits)].slice(0, 8) };
  }, REFLOW_WIDTH);
  const ok = result.width <= REFLOW_WIDTH;
  console.log(`reflow at ${REFLOW_WIDTH} px: scrollWidth ${result.width} px ${ok ? 'ok' : 'FAIL'}`);
  if (!ok) {
    failures.push(`${name}: page scrolls sideways at ${REFLOW_WIDTH} px (scrollWidth ${result.width} px); ` +
      `widest: ${result.culprits.join(', ')}`);
  }
  await page.close();
}

async function screenshots(url, name) {
  for (const [width, label] of [[1280, 'desktop'], [390, 'phone-390'], [320, 'phone-320']]) {
    const page = await openPage(url, width, width === 1280 ? 1000 : 844);
    await page.screenshot({ path: join(outDir, `${name}-${label}-top.png`) });
    // The first table and the first chart are where width problems show.
    for (const [sel, tag] of [['table.indicators', 'table'], ['figure.chart', 'chart']]) {
      const el = await page.$(sel);
      if (el) {
        await el.scrollIntoView();
        await page.screenshot({ path: join(outDir, `${name}-${label}-${tag}.png`) });
      }
    }
    await page.close();
  }
}

function pdfPages(path) {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const match = /^Pages:\s+(\d+)/m.exec(info);
  if (!match) throw new Error(`pdfinfo gave no page count for ${path}`);
  return Number(match[1]);
}

/** The body's printed length: everything from the first annex on is removed, then the rest printed on A4. */
async function checkPrint(url, name) {
  const page = await openPage(url, 1280);
  const full = join(outDir, `${name}.pdf`);
  await page.pdf({ path: full, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const { annex, sections } = await page.evaluate((selector) => {
    const first = document.querySelector(selector);
    if (!first) return { annex: null, sections: [] };
    const heading = first.querySelector('h1, h2, h3')?.textContent?.trim() ?? first.id;
    // Drop the annex, everything after it, and the same for each ancestor up to <body>.
    for (let node = first; node && node !== document.body; node = node.parentElement) {
      while (node.nextSibling) node.nextSibling.remove();
    }
    first.remove();
    // The sections the contents links to that are left, in document order.
    const linked = new Set([...document.querySelectorAll('nav.contents a[href^="#"]')]
      .map((a) => decodeURIComponent(a.hash.slice(1))));
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id).filter((id) => linked.has(id));
    return { annex: heading, sections: ids };
  }, ANNEX_SELECTOR);
  const body = join(outDir, `${name}-body.pdf`);
  await page.pdf({ path: body, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.close();
  const total = pdfPages(full);
  const bodyPages = pdfPages(body);
  const layout = sectionLayout(body, sections, bodyPages);
  foundBodyPages[name] = { pages: bodyPages, sections: Object.fromEntries(layout.map((s) => [s.id, s.pages])) };
  const ok = bodyPages <= MAX_BODY_PAGES;
  console.log(`print: ${total} A4 pages in all; body ${bodyPages} pages ` +
    `(${annex ? `before the annex "${annex}"` : 'no annex found: the whole review'}), ` +
    `at most ${MAX_BODY_PAGES} ${ok ? `ok (${MAX_BODY_PAGES - bodyPages} to spare)` : 'FAIL'}`);
  console.log(`  sections by page: ${layout.map((s) => `${s.id} ${pageRange(s)}`).join(', ')}`);
  const recorded = recordedBodyPages[name];
  const grown = recorded ? growth(layout, recorded) : [];
  if (recorded && recorded.pages !== bodyPages) {
    console.log(`  the body had ${recorded.pages} pages in body-pages.json` +
      `${grown.length > 0 ? `; grown: ${grown.join(', ')}` : ''}`);
  }
  if (!ok) {
    const where = grown.length > 0
      ? `sections grown since body-pages.json (${recorded.pages} pages): ${grown.join(', ')}`
      : `longest sections: ${[...layout].sort((a, b) => b.pages - a.pages).slice(0, 4)
        .map((s) => `${s.id} ${s.pages} (${pageRange(s)})`).join(', ')}`;
    failures.push(`${name}: the body prints to ${bodyPages} A4 pages, more than the cap of ${MAX_BODY_PAGES}; ` +
      `${where}. Tighten the print layout or move reference material to an annex (docs/report-browser.md); ` +
      `the body PDF is ${body}`);
  }
  // The first pages and the last body pages as PNG, to be looked at.
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '8', full, join(outDir, `${name}-print`)]);
  const lastFrom = Math.max(1, bodyPages - 2);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(lastFrom), '-l', String(bodyPages), body,
    join(outDir, `${name}-body-end`)]);
}

/**
 * Where each section starts in the body PDF and how many pages it adds. Chromium writes a named destination (the
 * element's id, with its page) for every link target, and the contents links to every section, so `pdfinfo -dests`
 * gives the page each section starts on. A section adds the pages up to the next one's start (0 when both start on
 * the same page); what comes before the first section (cover, contents) is `front`. The counts add up to the body.
 */
function sectionLayout(pdf, ids, bodyPages) {
  const dests = new Map();
  for (const line of execFileSync('pdfinfo', ['-dests', pdf], { encoding: 'utf8' }).split('\n')) {
    const match = /^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$/.exec(line);
    if (match) dests.set(match[2], Number(match[1]));
  }
  const starts = ids.filter((id) => dests.has(id)).map((id) => ({ id, start: dests.get(id) }));
  const layout = [{ id: 'front', start: 1 }, ...starts];
  return layout.map((section, i) => {
    const next = layout[i + 1]?.start ?? bodyPages + 1;
    return { ...section, end: next > section.start ? next - 1 : section.start, pages: next - section.start };
  });
}

/** "p. 6-15" (from the page it starts on to the page before the next section's), or "p. 6". */
function pageRange(section) {
  return section.end > section.start ? `p. ${section.start}-${section.end}` : `p. ${section.start}`;
}

/** The sections that add more pages than in `recorded`, as "indicators 8 → 10 (p. 6-16)". */
function growth(layout, recorded) {
  return layout
    .filter((s) => s.pages > (recorded.sections?.[s.id] ?? 0))
    .map((s) => `${s.id} ${recorded.sections?.[s.id] ?? 'new'} → ${s.pages} (${pageRange(s)})`);
}

/** axe-core with the WCAG 2.0/2.1 A and AA rules, every collapsible part opened. */
async function checkAxe(url, name) {
  const page = await openPage(url, 1280);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  await page.close();
  const report = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    examples: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
  }));
  writeFileSync(join(outDir, `${name}-axe.json`), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`axe (${AXE_TAGS.join(', ')}): ${results.violations.length} violation(s)` +
    `, ${results.passes?.length ?? 0} rules passed`);
  for (const v of report) {
    console.log(`  ${v.id} (${v.impact}, ${v.nodes} element(s)): ${v.help}`);
    for (const e of v.examples) console.log(`    ${e.slice(0, 300)}`);
    failures.push(`${name}: axe ${v.id} on ${v.nodes} element(s): ${v.help}`);
  }
}
