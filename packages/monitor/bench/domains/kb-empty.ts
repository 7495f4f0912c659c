/** A domain that does nothing: what the spawn measurement spawns. */
export default function main(): number {
  return 0;
}
