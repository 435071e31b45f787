#!/usr/bin/env node
// The jsync executable: one V8 setting, then a call to main().
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// undici's HTTP parser is WebAssembly: baseline-compiling it only (no background optimising tier) saves ~30 MiB
// of peak RSS per command for no measurable CPU cost on jsync's workloads (bench: jottacloud cases).
setFlagsFromString('--liftoff-only');
process.exitCode = await main(process.argv.slice(2));
