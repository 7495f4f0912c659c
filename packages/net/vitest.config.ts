import { defineConfig } from "vitest/config";

// The Linux-peer tests share one network namespace and TAP bridge: run files one at a time.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
