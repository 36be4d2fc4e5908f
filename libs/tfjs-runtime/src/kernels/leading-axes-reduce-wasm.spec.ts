import { describeReduceAgainstStockCpu } from './reduce-cases.spec-helper';

describeReduceAgainstStockCpu('wasm');
