// `npm run structure`: the structure counts of components/ (tools/structure/structure.ts).
import { componentImports, importsByFolder, rawModeChecks, siblingTierImports, tierToTopImports } from "../tools/structure/structure";

const imports = componentImports();
const sideways = siblingTierImports(imports);
const toTop = tierToTopImports(imports);
const modes = rawModeChecks();
console.log(`files imported across folders: ${imports.length} imports in components/`);
console.log(`imports between sibling tiers: ${sideways.length}`);
for (const i of sideways) console.log(`  ${i.from} -> ${i.to}`);
console.log(`imports from a tier into a top-level file: ${toTop.length}`);
for (const i of toTop) console.log(`  ${i.from} -> ${i.to}`);
console.log(`raw store-mode checks: ${modes.length}`);
for (const m of modes) console.log(`  ${m.file}:${m.line}  ${m.text}`);
console.log("imports by folder (from -> to: count):");
for (const r of importsByFolder(imports)) console.log(`  ${r.from} -> ${r.to}: ${r.count}`);
