import { defineConfig } from "vitest/config";

// Single-threaded kernel data structures: no workers, but property tests are CPU-heavy and the
// machines have two shared cores, so files run one at a time.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
  },
});
