// Renders one BPMN model to SVG with bpmn-js's viewer in headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core). The viewer bundle is read from node_modules and inlined into the page, so nothing is fetched.
// Usage: node render-models.mjs <out-dir> <model.bpmn>...   (writes <out-dir>/<process-key>.svg per model)
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const [outDir, ...models] = process.argv.slice(2);
if (!outDir || models.length === 0) {
  console.error('usage: node render-models.mjs <out-dir> <model.bpmn>...');
  process.exit(2);
}

const viewer = await readFile(require.resolve('bpmn-js/dist/bpmn-viewer.production.min.js'), 'utf8');
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});

try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body><div id="canvas" style="width:1600px;height:1000px"></div></body></html>');
  await page.addScriptTag({ content: viewer });
  for (const model of models) {
    // The file name is the process key (see ModelRulesTest), so the picture is named after the process.
    const key = basename(model, '.bpmn');
    const xml = await readFile(model, 'utf8');
    const svg = await page.evaluate(async (source) => {
      const container = document.getElementById('canvas');
      container.innerHTML = '';
      const bpmnViewer = new BpmnJS({ container });
      const { warnings } = await bpmnViewer.importXML(source);
      if (warnings.length) {
        throw new Error('import warnings: ' + warnings.map((w) => w.message).join('; '));
      }
      const { svg } = await bpmnViewer.saveSVG();
      bpmnViewer.destroy();
      return svg;
    }, xml);
    await writeFile(join(outDir, `${key}.svg`), stable(svg) + '\n');
    console.log(`render-models: ${basename(model)} -> ${key}.svg`);
  }
} finally {
  await browser.close();
}

// bpmn-js names its arrow-head markers with random suffixes; numbering them in order of appearance makes the
// same model give the same file, so a re-render can be compared with git diff.
function stable(svg) {
  const names = new Map();
  return svg.replace(/marker-[0-9a-z]+/g, (id) => {
    if (!names.has(id)) names.set(id, `marker-${names.size + 1}`);
    return names.get(id);
  });
}
