/**
 * The NAS problem classes this package runs, with NPB 3.x's published verification values
 * (NAS Technical Report NAS-95-020 and the NPB 3.x sources' verify routines).
 */
export type NasClass = "S" | "W";

/** CG: matrix order, nonzeros per generated row, outer iterations, eigenvalue shift, expected zeta. */
export const CG_CLASSES = {
  S: { na: 1400, nonzer: 7, niter: 15, shift: 10, zeta: 8.5971775078648 },
  W: { na: 7000, nonzer: 8, niter: 15, shift: 12, zeta: 10.362595087124 },
} as const;

/** IS: log2 of the key count and of the key range; the partial-verification indices and ranks. */
export const IS_CLASSES = {
  S: {
    totalKeysLog2: 16,
    maxKeyLog2: 11,
    testIndex: [48427, 17148, 23627, 62548, 4431],
    testRank: [0, 18, 346, 64917, 65463],
  },
  W: {
    totalKeysLog2: 20,
    maxKeyLog2: 16,
    testIndex: [357773, 934767, 875723, 898999, 404505],
    testRank: [1249, 11698, 1039987, 1043896, 1048018],
  },
} as const;

/** IS runs this many ranking iterations. */
export const IS_ITERATIONS = 10;

/** FT: grid (x fastest), iterations, expected checksum (real, imaginary) after each iteration. */
export const FT_CLASSES = {
  S: {
    nx: 64,
    ny: 64,
    nz: 64,
    niter: 6,
    checksums: [
      [554.6087004964, 484.5363331978],
      [554.6385409189, 486.5304269511],
      [554.6148406171, 488.3910722336],
      [554.5423607415, 490.1273169046],
      [554.4255039624, 491.7475857993],
      [554.2683411902, 493.2597244941],
    ],
  },
  W: {
    nx: 128,
    ny: 128,
    nz: 32,
    niter: 6,
    checksums: [
      [567.3612178944, 529.3246849175],
      [563.1436885271, 528.2149986629],
      [559.402408997, 527.0996558037],
      [556.069804702, 526.0027904925],
      [553.089899125, 524.9400845633],
      [550.4159734538, 523.9212247086],
    ],
  },
} as const;
