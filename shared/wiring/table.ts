import { requireEnv, SETTINGS } from '../config';
import { once } from './once';

/** The table LATCHKEY_TABLE_NAME names; read at cold start, refused by name when missing. */
export const tableName = /* @__PURE__ */ once(() => requireEnv(SETTINGS.tableName));
