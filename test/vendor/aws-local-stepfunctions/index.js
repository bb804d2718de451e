// aws-local-stepfunctions 3.0.0 for Node 20: the upstream build, unchanged, after the one Node 22 API it calls.
// See README.md beside this file.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
export * from './build/main.node.esm.js';
