// Registers ts-loader.mjs (see there); pass with `node --import`.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
