// Public entry of the Pancake upstream simulator (tests import this; cli.ts runs it).
export { startSimulator, tokenOf, pageCounts } from './server.js';
export { SimStore } from './store.js';
export type { ListQuery, NoteOutcome } from './store.js';
export type {
  FaultKind,
  FaultOperation,
  FaultSpec,
  Operation,
  RequestLogEntry,
  Simulator,
  SimulatorOptions,
  SimulatorPage,
} from './types.js';
export type * from './raw-shapes.js';
