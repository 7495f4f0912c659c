import { defineConfig } from "vitest/config";

// Tests start worker threads that contend for two shared CPUs: one file at a time.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
  },
});
