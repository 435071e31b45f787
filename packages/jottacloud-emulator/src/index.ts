// @jsync/jottacloud-emulator: a local Jottacloud (JFS XML, allocate/upload, OIDC tokens) with fault injection.

export { startEmulator } from './emulator.js';
export type { Emulator } from './emulator.js';
export { DEFAULT_BEHAVIOUR } from './options.js';
export type { Behaviour, EmulatorOptions } from './options.js';
export { ManualClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { EmulatorStateView } from './state-view.js';
export type { NodeInfo, RevisionInfo } from './state-view.js';
export type { RequestHeaderSubset, RequestRecord } from './state.js';
export type { RawEntryInfo, RawEntryInput } from './raw-entry-admin.js';
export { parseFaultSpec, formatFaultSpec, faultApplies, FAULT_OPS, FAULT_KINDS } from './faults/spec.js';
export type { FaultKind, FaultOp, FaultRule, RequestOp } from './faults/spec.js';
export type { FaultRuleStatus } from './faults/injector.js';
export { formatJfsTime, parseJfsTime } from './xml/time.js';
export { parseCliArgs } from './cli-args.js';
