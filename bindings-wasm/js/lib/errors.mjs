// The WebAssembly module throws plain `Error`s carrying the core's `ErrorDetails` as JSON in
// `sendivent` (bindings-wasm/src/error.rs); `convert` rethrows them as the generated classes.

import { SendiventError } from './errors.gen.mjs';

/** The SDK error for a value thrown by the WebAssembly module; anything else passes through unchanged. */
export function convert(err) {
  if (err instanceof SendiventError || err === null || typeof err !== 'object' || typeof err.sendivent !== 'string') {
    return err;
  }
  return SendiventError.fromDetails(JSON.parse(err.sendivent));
}
