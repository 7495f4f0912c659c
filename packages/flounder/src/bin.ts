#!/usr/bin/env node
/**
 * The `flounder` executable: runs {@link main} on the process arguments and sets the exit status.
 *
 * @packageDocumentation
 */
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2));
