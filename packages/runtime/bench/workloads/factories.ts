/** Which suite opens each transport. */
import { describeError } from "../errors.js";
import type { TransportName } from "../results.js";
import { openPostMessage } from "./postmessage.js";
import { openRawSab } from "./raw-sab.js";
import { openStubSuite } from "./stubs.js";
import type { SuiteFactory } from "./suite.js";

/**
 * The Comlink baseline, loaded only when it runs: comlink is a devDependency of @shoal/runtime, so
 * where the published package is installed without it only that transport is skipped.
 */
const openComlink: SuiteFactory = async (timeoutMs) => {
  let comlink: typeof import("./comlink.js");
  try {
    comlink = await import("./comlink.js");
  } catch (e) {
    return { unavailable: `comlink does not load (${describeError(e)})` };
  }
  return comlink.openComlink(timeoutMs);
};

/** Every transport's factory. */
export const FACTORIES: Readonly<Record<TransportName, SuiteFactory>> = {
  urpc: (timeoutMs) => openStubSuite("urpc", timeoutMs),
  lrpc: (timeoutMs) => openStubSuite("lrpc", timeoutMs),
  port: (timeoutMs) => openStubSuite("port", timeoutMs),
  "raw-sab": openRawSab,
  postmessage: openPostMessage,
  comlink: openComlink,
};
