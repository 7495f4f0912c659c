import { defineConfig } from "vitest/config";

// Real-core tests start workers: run files one at a time on these 2-CPU machines.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
