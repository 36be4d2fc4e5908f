import { describeReduceAgainstStockCpu } from './reduce-cases.spec-helper';

describeReduceAgainstStockCpu('cpu');
