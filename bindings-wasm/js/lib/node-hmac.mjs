// The host HMAC of the Node, Deno and Bun entry points: node:crypto's HMAC-SHA256, synchronous
// and native (SHA-256 in WebAssembly has no SHA instructions). Only the primitive: which content
// is signed, which secrets need a tag and how tags are compared is the core's (lib/api.mjs).
import { createHmac, createSecretKey } from 'node:crypto';

export const nodeHmac = {
  /** The key once, as a KeyObject (the bytes are copied into it; the caller zeroes its copy). */
  importKey: (bytes) => createSecretKey(bytes),
  /** HMAC-SHA256 of `prefix` then `body` (a string is hashed as UTF-8). */
  sign: (key, prefix, body) => createHmac('sha256', key).update(prefix).update(body).digest(),
};
