import { defineConfig } from "vitest/config";

// The runner's tests run fake suites (and load the runtime's without running it): no spinning threads
// here, but one file at a time all the same, as in every package of these 2-core machines.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
