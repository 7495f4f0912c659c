/**
 * The package's error class is the agreement protocols' own: a shootdown or agreement that cannot
 * complete ends in a {@link ShootdownError} with a stable `code` (PEER_DIED, TIMEOUT, REFUSED, ...),
 * never in a hang. It lives in `@shoal/agreement` (the protocol code the monitors run) and is the
 * same class here, so `isShootdownError` holds for errors from either package.
 */
export {
  isShootdownError,
  ShootdownError,
  type ShootdownErrorCode,
  type ShootdownErrorDetails,
} from "@shoal/agreement";
