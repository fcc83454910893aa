import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The functions validate with zod/mini, which tree-shakes to about a third of classic zod's size
 * (classic builds every schema with its JSON Schema conversion, about 16 KB that no function calls).
 * zod/mini carries no messages of its own: this registers the English ones classic zod registers,
 * so a refused body reads the same. Each module with schemas imports this file for that effect.
 */
z.config(en());
