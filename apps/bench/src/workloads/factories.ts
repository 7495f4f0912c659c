/** Which suite opens each transport. */
import type { TransportName } from "../results.js";
import { openComlink } from "./comlink.js";
import { openPostMessage } from "./postmessage.js";
import { openRawSab } from "./raw-sab.js";
import { openStubSuite } from "./stubs.js";
import type { SuiteFactory } from "./suite.js";

/** Every transport's factory. */
export const FACTORIES: Readonly<Record<TransportName, SuiteFactory>> = {
  urpc: (timeoutMs) => openStubSuite("urpc", timeoutMs),
  lrpc: (timeoutMs) => openStubSuite("lrpc", timeoutMs),
  port: (timeoutMs) => openStubSuite("port", timeoutMs),
  "raw-sab": openRawSab,
  postmessage: openPostMessage,
  comlink: openComlink,
};
