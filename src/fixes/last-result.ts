/**
 * `fn` remembering its last arguments and result. The scan plans a text fix for every finding just to say
 * whether it can be made, and a file with many findings hands each plan the same text: it is read once.
 */
export function lastResult<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args) => {
    if (!last || last.args.length !== args.length || last.args.some((arg, index) => arg !== args[index])) last = { args, result: fn(...args) };
    return last.result;
  };
}
