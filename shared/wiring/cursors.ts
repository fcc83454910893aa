import { CursorSigner } from '../domain/cursors';
import { once } from './once';
import { pepperVault } from './pepper';

/** Page cursors are signed under a key derived from the pepper (the list functions decrypt it). */
export const cursorSigner = /* @__PURE__ */ once(() => new CursorSigner(pepperVault()));
