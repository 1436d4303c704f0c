// Copies the front-end files named in package.json's "vendor" map into static/vendor/, and builds
// static/vendor/icons.svg: one SVG sprite of the Lucide icons named in "vendorIcons" (used by the
// `icon` macro in templates/_macros/ui.html as <svg><use href="…/icons.svg#name"></svg>).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const target = join(root, "static", "vendor");
mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(pkg.vendor)) {
  copyFileSync(join(root, "node_modules", source), join(target, name));
}

const iconDir = join(root, "node_modules", "lucide-static", "icons");
const symbols = (pkg.vendorIcons ?? []).map((name) => {
  const svg = readFileSync(join(iconDir, `${name}.svg`), "utf8");
  const body = svg.slice(svg.indexOf(">", svg.indexOf("<svg")) + 1, svg.lastIndexOf("</svg>")).trim();
  return `<symbol id="${name}" viewBox="0 0 24 24">${body.replace(/\s*\n\s*/g, "")}</symbol>`;
});
writeFileSync(
  join(target, "icons.svg"),
  `<svg xmlns="http://www.w3.org/2000/svg"><!-- Lucide icons, ISC licence -->${symbols.join("")}</svg>\n`,
);
console.log(`vendor: ${Object.keys(pkg.vendor).length} files and ${symbols.length} icons in static/vendor/`);
