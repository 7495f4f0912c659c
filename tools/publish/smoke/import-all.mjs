// Smoke step 1, run inside the consumer: import every published package by name and list what it exports.
// The package names come on the command line so this file never goes stale when a package is added.
const names = process.argv.slice(2);
if (names.length === 0) {
  console.error("import-all: no package names given");
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  try {
    const mod = await import(name);
    const exported = Object.keys(mod).sort();
    if (exported.length === 0) throw new Error("the module exports nothing");
    console.log(`  import ${name}: ${exported.length} export(s): ${exported.join(", ")}`);
  } catch (err) {
    failed++;
    console.error(`  import ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
