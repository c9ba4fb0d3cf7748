// Types for the mnist package's digit files, declared so TypeScript does not infer a type from
// 22 MB of JSON (which triples type-checking time).
declare module 'mnist/src/digits/*.json' {
  const digits: { data: number[] };
  export default digits;
}
