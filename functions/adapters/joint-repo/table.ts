/** The `joint` table's name, for the modules of adapters/joint-repo/ (not part of its public face). */
import { tableName } from '../config.ts';

export const table = () => tableName('joint');
