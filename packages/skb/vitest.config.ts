import { defineConfig } from "vitest/config";

// Transport tests spawn workers that spin: run files one at a time on these 2-core machines.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
