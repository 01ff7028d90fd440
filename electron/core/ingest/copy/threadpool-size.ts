// Side-effect module: import it first in a host entry that copies footage.
// See threadpool.ts for why it must come before any fs call.
import { ensureThreadpoolSize } from './threadpool.js';

ensureThreadpoolSize();
