/**
 * Byte fixtures, computed independently of this package (Python `struct` and an RFC 1071 sum), between
 * 10.77.0.1 / 02:00:00:00:00:01 ("linux") and 10.77.0.2 / 02:00:00:00:00:02 ("stack").
 */
import { hex } from "../src/wire/hex.js";

export const LINUX_MAC = 0x02_00_00_00_00_01;
export const STACK_MAC = 0x02_00_00_00_00_02;
export const LINUX_IP = 0x0a4d0001;
export const STACK_IP = 0x0a4d0002;

/** Ethernet header linux -> stack, IPv4. */
export const ETH_TO_STACK_IPV4 = "02 00 00 00 00 02 02 00 00 00 00 01 08 00";

/** IPv4 header of an ICMP echo request (ident 0xabcd, DF, TTL 64) and the request (id 0x1234 seq 1 "abcdefgh"). */
export const IP_ECHO = "45 00 00 24 ab cd 40 00 40 01 7a 6f 0a 4d 00 01 0a 4d 00 02";
export const ICMP_ECHO = "08 00 54 35 12 34 00 01 61 62 63 64 65 66 67 68";

/** IPv4 header + UDP datagram 10.77.0.1:40000 -> 10.77.0.2:7 "hello". */
export const IP_UDP = "45 00 00 21 00 01 40 00 40 11 26 2f 0a 4d 00 01 0a 4d 00 02";
export const UDP_HELLO = "9c 40 00 07 00 0d 0b 1e 68 65 6c 6c 6f";

/** An IPv4 header with 12 bytes of options: NOP NOP record-route(len 7) EOL padding. */
export const IP_WITH_OPTIONS =
  "48 00 00 2d 00 02 00 00 40 11 57 1a 0a 4d 00 01 0a 4d 00 02 01 01 07 07 04 00 00 00 00 00 00 00";
/** The same with a record-route option claiming 20 bytes (runs past the header); checksum valid. */
export const IP_LYING_OPTION =
  "48 00 00 2d 00 02 00 00 40 11 57 0d 0a 4d 00 01 0a 4d 00 02 01 01 07 14 04 00 00 00 00 00 00 00";
/** The same with an option length of 0 (would never advance); checksum valid. */
export const IP_ZERO_LEN_OPTION =
  "48 00 00 2d 00 02 00 00 40 11 57 21 0a 4d 00 01 0a 4d 00 02 01 01 07 00 04 00 00 00 00 00 00 00";

/** ARP who-has 10.77.0.2 tell 10.77.0.1. */
export const ARP_WHO_HAS =
  "00 01 08 00 06 04 00 01 02 00 00 00 00 01 0a 4d 00 01 00 00 00 00 00 00 0a 4d 00 02";

/** Concatenate hex fixtures into one buffer. */
export function bytes(...parts: string[]): Uint8Array {
  return hex(parts.join(" "));
}
