/**
 * @shoal/libshoal: what a shoal domain links against. A domain's module exports `main(self, args)`;
 * `self` is its {@link Domain}, through which it exports and binds services, uses the name service and
 * spawns domains on any core.
 * @packageDocumentation
 */
export type {
  BindChannelOptions,
  BindingClass,
  Cap,
  CapIdentity,
  ChildDomain,
  Domain,
  DomainCaps,
  DomainFrames,
  DomainMain,
  DomainNames,
  DomainVSpace,
  FutexWaitOutcome,
  Iref,
  LookupOptions,
  MappedFrame,
  SpannedDispatcher,
  SpanOptions,
  SpawnOptions,
} from "./domain.js";
export { isOsError, OsError, type OsErrorCode } from "./errors.js";
