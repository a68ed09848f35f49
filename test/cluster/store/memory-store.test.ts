import { MemoryStore } from '../../../src/cluster/store/index.js';
import { storeContract } from './contract.js';

storeContract('MemoryStore', (options) => new MemoryStore(options));
