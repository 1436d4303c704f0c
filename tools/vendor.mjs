// Copies the front-end files named in package.json's "vendor" map into static/vendor/.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const target = join(root, "static", "vendor");
mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(pkg.vendor)) {
  copyFileSync(join(root, "node_modules", source), join(target, name));
}
console.log(`vendor: ${Object.keys(pkg.vendor).length} files in static/vendor/`);
