/**
 * The template function library: `createFunctionTable` assembles every function module into
 * one table for the engine (which adds `include`, `template` and `tpl` itself).
 */

import type { FunctionTable } from '../types.js';
import type { FunctionMap } from './args.js';
import { certFunctions } from './certs.js';
import { conversionFunctions } from './conversion.js';
import { cryptoFunctions } from './crypto.js';
import { dataFormatFunctions } from './data-formats.js';
import { dateFunctions } from './dates.js';
import { dictFunctions } from './dicts.js';
import { encodingFunctions } from './encoding.js';
import { helmFunctions } from './helm.js';
import { listFunctions } from './lists.js';
import { logicFunctions } from './logic.js';
import { mathFunctions } from './math.js';
import { pathFunctions } from './paths.js';
import { perTemplateRandom, randomFunctions } from './random.js';
import { regexFunctions } from './regex.js';
import { semverFunctions } from './semver.js';
import { stringFunctions } from './strings.js';

/** How a function table behaves for one render. */
export interface FunctionOptions {
  /** The clock behind `now`, `date`, `ago`… @default () => new Date(0) */
  now?: () => Date;
  /** Seed of the PRNG behind `randAlpha`, `uuidv4`, `shuffle`…; output is deterministic. @default 0 */
  seed?: number;
  /** Cluster lookup for `lookup`; absent → Helm's offline behaviour (an empty map). */
  lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => unknown;
  /** Helm lint mode: `required` returns `""` instead of failing. */
  lintMode?: boolean;
}

/** Builds the table of every template function (Sprig v3 minus `env`/`expandenv`, plus Helm's). */
export function createFunctionTable(options: FunctionOptions = {}): FunctionTable {
  const table: FunctionMap = Object.create(null);
  const now = options.now ?? (() => new Date(0));
  const rand = perTemplateRandom(options.seed ?? 0);
  const modules = [
    stringFunctions(),
    pathFunctions(),
    listFunctions(),
    dictFunctions(),
    logicFunctions(),
    conversionFunctions(),
    dataFormatFunctions(),
    encodingFunctions(),
    cryptoFunctions(rand),
    mathFunctions(),
    semverFunctions(),
    dateFunctions(now),
    certFunctions(now),
    regexFunctions(),
    randomFunctions(rand),
    helmFunctions({ lookup: options.lookup, lintMode: options.lintMode }),
  ];
  for (const m of modules) Object.assign(table, m);
  return Object.freeze(table);
}

export { formatGoValue } from './format.js';
