// Types of the main domain module: a domain's main, as @shoal/libshoal's DomainMain.
import type { Domain } from "@shoal/libshoal";

export default function main(self: Domain, args: string[]): Promise<number>;
