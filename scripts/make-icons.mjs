#!/usr/bin/env node
// Renders build/icon.svg, the station icon's one source, into what electron-builder packs:
//   build/icon.png    512×512 (Linux: the AppImage, the .deb's hicolor icons)
//   build/icon.ico    16–256 px PNG entries (Windows: the executable, the installer, shortcuts)
//   build/icon.icns   ic07–ic10 PNG entries, 128–1024 px (macOS)
//   build/icons.sha256  the SVG's hash, so a test can tell icons older than their source
// The outputs are committed: packaging then needs neither a browser nor this script.
// Each size is rendered from the vector by Debian's Chromium (never a downloaded browser), not
// scaled down from a large bitmap, so the 16 px icon is drawn at 16 px.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const CHROMIUM = '/usr/bin/chromium';

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** The PNG-bearing ICNS types and their edge in pixels (ic10 is 512 pt at 2×). */
export const ICNS_TYPES = { ic07: 128, ic08: 256, ic09: 512, ic10: 1024 };
export const PNG_SIZE = 512;

/**
 * ICO: a 6-byte header (reserved, type 1 = icon, count), a 16-byte entry per image (width and
 * height with 0 meaning 256, 32 bits per pixel, the data's length and offset), then the images.
 * PNG entries are read by Windows Vista and later.
 */
export function icoContainer(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** ICNS: 'icns' and the file's length (big-endian), then per image its 4-character type and length (header included). */
export function icnsContainer(images) {
  const chunks = images.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

export const svgDigest = (svg) => createHash('sha256').update(svg).digest('hex');

async function render(svg, sizes) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    const pngs = new Map();
    for (const size of sizes) {
      await page.setContent(`<html><body style="margin:0;background:transparent"><img id="i" src="${src}" width="${size}" height="${size}"></body></html>`);
      // decode() settles once the image is drawn-ready, so the screenshot never catches it half-loaded.
      await page.locator('#i').evaluate((img) => img.decode());
      pngs.set(size, await page.screenshot({ clip: { x: 0, y: 0, width: size, height: size }, omitBackground: true, type: 'png' }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

async function main() {
  const svg = readFileSync(path.join(buildDir, 'icon.svg'));
  const sizes = [...new Set([PNG_SIZE, ...ICO_SIZES, ...Object.values(ICNS_TYPES)])].sort((a, b) => a - b);
  const pngs = await render(svg, sizes);
  writeFileSync(path.join(buildDir, 'icon.png'), pngs.get(PNG_SIZE));
  writeFileSync(path.join(buildDir, 'icon.ico'), icoContainer(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  writeFileSync(path.join(buildDir, 'icon.icns'), icnsContainer(Object.entries(ICNS_TYPES).map(([type, size]) => ({ type, png: pngs.get(size) }))));
  writeFileSync(path.join(buildDir, 'icons.sha256'), `${svgDigest(svg)}  icon.svg\n`);
  console.log('图标已生成 / Icons written: build/icon.png, build/icon.ico, build/icon.icns, build/icons.sha256');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error('图标生成失败 / Icons could not be made:', e?.message ?? e);
    process.exit(1);
  });
}
