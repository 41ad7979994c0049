// @sendivent/wasm loads its WebAssembly module from its own files: let Node import it instead of
// bundling it.
export default { serverExternalPackages: ['@sendivent/wasm'] };
