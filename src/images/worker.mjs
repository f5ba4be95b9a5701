// Entry of the image worker process: loads worker.ts through tsx, the way the
// bot itself runs (`tsx src/main.ts`), also when the parent was started
// another way (vitest, a bench script).
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
