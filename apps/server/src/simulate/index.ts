export {
  parseSimulateArgs,
  SIMULATE_USAGE,
  type SimulateOptions,
  SimulateUsageError,
} from './simulate-options.js';
export { runSimulation, SimulationError, type SimulationIo, type SimulationResult } from './simulation.js';
