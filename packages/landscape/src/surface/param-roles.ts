import {
  DescentError,
  type ParamInfo,
  type ParamLayout,
  type ParamRole,
  type Params,
  checkParamInfo,
  describeValue,
  formatShape,
  inferParamInfo,
  isDescentError,
  isPlainObject,
} from '@descent/core';

const LAYOUT_RANKS: Record<ParamLayout, readonly number[]> = {
  dense: [2],
  conv2d: [4],
  vector: [0, 1],
};

/**
 * The role of every parameter: from `info`, which must describe every key of `params` with a
 * layout that fits the tensor's rank (extra entries are ignored), or — when `info` is
 * `undefined` — guessed from the names and shapes by core's `inferParamInfo`.
 *
 * @throws DescentError `BAD_ARGUMENT` (`info` no plain object or a malformed entry),
 *   `UNKNOWN_PARAM` (keys of `params` missing from `info`), `SHAPE_MISMATCH` (a layout that does
 *   not fit the rank, or a rank no layout fits when inferring).
 */
export function paramRoles(fn: string, params: Params, info: unknown): Record<string, ParamRole> {
  const keys = Object.keys(params);
  if (info === undefined)
    return Object.fromEntries(keys.map((k) => [k, inferredRole(fn, k, params)]));
  if (!isPlainObject(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: info must be a record of ParamInfo keyed like params (e.g. model.info), or undefined to infer it from the names, got ${describeValue(info)}.`,
    );
  }
  const missing = keys.filter((k) => !Object.hasOwn(info, k));
  if (missing.length > 0) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `${fn}: info must describe every parameter; it has no entry for ${listKeys(missing)}.`,
    );
  }
  return Object.fromEntries(keys.map((k) => [k, checkedRole(fn, k, params, info[k])]));
}

function checkedRole(fn: string, key: string, params: Params, entry: unknown): ParamRole {
  const name = `${fn}: info[${JSON.stringify(key)}]`;
  checkParamInfo(name, entry);
  const shape = (params[key] as { shape: number[] }).shape;
  if (!LAYOUT_RANKS[entry.layout].includes(shape.length)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name}.layout is '${entry.layout}' but params[${JSON.stringify(key)}] has shape ${formatShape(shape)} (rank ${shape.length}); expected rank ${LAYOUT_RANKS[entry.layout].join(' or ')}.`,
    );
  }
  return (entry as ParamInfo).role;
}

function inferredRole(fn: string, key: string, params: Params): ParamRole {
  try {
    return inferParamInfo(key, (params[key] as { shape: number[] }).shape).role;
  } catch (error) {
    if (!isDescentError(error)) throw error;
    throw new DescentError(error.code, `${fn}: info is undefined and ${error.message}`, {
      cause: error,
    });
  }
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return keys.length > 8 ? `${shown.join(', ')}, … (${keys.length} in all)` : shown.join(', ');
}
